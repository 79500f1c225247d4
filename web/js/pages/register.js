// 注册: registration with the live ID-number check (POST /id-checks) that
// shows the seed's message for each conflict case, and the acknowledgement
// that lets a student go on to register on a held number (case 2).

import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { form, choiceLinks } from '../form.js';
import { ID_TYPES } from '../format.js';
import { plainPage } from '../layout.js';
import { login } from '../session.js';

const CHECK_DELAY_MS = 400;

/** Long enough to be worth checking while the student is still typing. */
function worthChecking(type, number) {
  const compact = number.replace(/\s+/g, '');
  if (type === 'resident') return compact.length === 15 || compact.length === 18;
  return compact.length >= 8;
}

const helpLink = () => h('a', { href: '/help/id-duplicate', class: 'bracket-link', id: 'help-link' }, '【解决方法】');
const loginLink = () => h('a', { href: '/login', class: 'bracket-link' }, '【登录】');
const recoverLink = () => h('a', { href: '/recover-username', class: 'bracket-link' }, '【找回用户名】');

/** The seed's case-2 message: the number is held by an available account. */
function registeredMessage() {
  return [
    h('p', { class: 'check-headline' }, '证件号码已被注册，查看', helpLink()),
    h('p', {}, '如果您曾经使用该证件号码注册过帐号，请通过原用户名', loginLink(),
      '并使用系统；如果忘记注册用户名的，可通过', recoverLink(), '完成用户名的找回。'),
    h('p', {}, '如果本人的确未使用此证件号码注册过帐号，可以继续填写基本信息，勾选下方的确认项后点击【完成注册】。注册后需上传身份证照片进入客服审核，或请同班同学协助验证；只有待审核通过之后才能进行其他的操作。'),
  ];
}

/** The seed's case-1 message: the number is awaiting customer service. */
function underReviewMessage() {
  return [
    h('p', { class: 'check-headline' }, '证件号码已经被注册，客服审核通过后才能被再次注册'),
    h('p', {}, '该证件号码存在被多个用户使用的情况，正在等待客服的审核。如果您曾经使用该证件号码注册过帐号，请通过原用户名',
      loginLink(), '并使用系统；如果忘记注册用户名的，可通过', recoverLink(),
      '完成用户名的找回。查看', helpLink()),
  ];
}

export function registerPage(ctx) {
  const checkBox = h('div', { id: 'id-check', class: 'id-check', 'aria-live': 'polite' });
  const ackNote = h('p', { class: 'field-hint' }, '勾选后可以继续注册，帐号需通过证件重复审核后才能正常使用。');

  const f = form({
    class: 'register-form',
    labelledBy: 'page-title',
    submit: '完成注册',
    fields: [
      { name: 'username', label: '用户名', required: true, autocomplete: 'username',
        hint: '6-20 位字母、数字或下划线，以字母开头' },
      { name: 'password', label: '密码', type: 'password', required: true, autocomplete: 'new-password',
        hint: '8-32 位，须同时包含字母和数字，不能包含用户名' },
      { name: 'password_confirm', label: '确认密码', type: 'password', required: true, autocomplete: 'new-password' },
      { name: 'name', label: '姓名', required: true, autocomplete: 'name', hint: '与证件上的姓名一致' },
      { name: 'id_type', label: '证件类型', type: 'select', options: ID_TYPES, value: 'resident' },
      { name: 'id_number', label: '证件号码', required: true, autocomplete: 'off', maxlength: 40,
        describedBy: ['id-check'] },
      { name: 'acknowledge_duplicate', label: '本人的确未使用此证件号码注册过帐号，继续注册', type: 'checkbox' },
      { name: 'mobile', label: '手机号码', type: 'tel', required: true, autocomplete: 'tel', inputmode: 'tel' },
      { name: 'email', label: '电子邮箱（选填）', type: 'email', autocomplete: 'email' },
    ],
    async onSubmit(values, ctl) {
      setCheckText(null); // a new answer will be shown
      if (values.password !== values.password_confirm) {
        ctl.fields.password_confirm.setError('两次输入的密码不一致');
        ctl.fields.password_confirm.input.focus();
        return;
      }
      const body = {
        username: values.username.trim(),
        password: values.password,
        name: values.name.trim(),
        id_type: values.id_type,
        id_number: values.id_number,
        mobile: values.mobile.trim(),
      };
      if (values.email.trim()) body.email = values.email.trim();
      if (!ack.el.hidden && values.acknowledge_duplicate) body.acknowledge_duplicate = true;
      const res = await api.post('/accounts', body);
      if (!res.ok) {
        if (res.problem.code === 'ID_ALREADY_REGISTERED') {
          showCheck('registered');
          ack.setError('请确认本人的确未使用此证件号码注册过帐号');
          ack.input.focus();
          return;
        }
        if (res.problem.code === 'ID_UNDER_REVIEW') {
          showCheck('under_review');
          idField.input.focus();
          return;
        }
        ctl.showProblem(res.problem);
        return;
      }
      const account = res.data.account;
      const signedIn = await login(body.username, body.password);
      if (!signedIn.ok) {
        ctl.success('注册成功，请登录。', h('a', { href: '/login' }, '登录'));
        return;
      }
      ctx.navigate(account.status === 'restricted' ? '/account/review' : '/account');
    },
  });

  const idField = f.fields.id_number;
  const typeField = f.fields.id_type;
  const ack = f.fields.acknowledge_duplicate;
  ack.el.append(ackNote);
  ack.el.hidden = true;
  idField.el.insertBefore(checkBox, idField.el.querySelector('.field-error'));

  function setCheckText(state, ...nodes) {
    checkBox.className = `id-check ${state ? `id-check-${state}` : ''}`;
    checkBox.dataset.state = state || '';
    replace(checkBox, nodes);
  }

  function showCheck(state, normalized) {
    ack.el.hidden = state !== 'registered';
    if (state !== 'registered') ack.input.checked = false;
    idField.clearError();
    if (state === 'free') {
      setCheckText('free', h('p', { class: 'check-headline' },
        h('span', { 'aria-hidden': 'true' }, '✓ '), '该证件号码可以注册',
        normalized ? `（${normalized}）` : ''));
    } else if (state === 'registered') {
      setCheckText('registered', registeredMessage());
    } else if (state === 'under_review') {
      setCheckText('under_review', underReviewMessage());
      idField.input.setAttribute('aria-invalid', 'true');
    } else {
      setCheckText(null);
    }
  }

  let timer = null;
  let seq = 0;
  // The value whose answer is shown (or on its way). Leaving the field
  // fires `change` again for it; asking again would redraw the message
  // under the pointer while its 【解决方法】 link is being clicked.
  let checkedKey = '';
  async function check() {
    clearTimeout(timer);
    const number = idField.input.value;
    const type = typeField.input.value;
    if (!number.trim()) {
      checkedKey = '';
      showCheck(null);
      return;
    }
    const key = `${type}|${number}`;
    if (key === checkedKey) return;
    checkedKey = key;
    const mine = ++seq;
    const res = await api.post('/id-checks', { id_type: type, id_number: number });
    if (mine !== seq || !ctx.isCurrent()) return;
    if (!res.ok && res.status === 0) checkedKey = ''; // unreachable: may retry
    if (res.ok) {
      showCheck(res.data.state, res.data.normalized);
    } else {
      showCheck(null);
      if (res.problem.field === 'id_type') typeField.setError(res.problem.message);
      else idField.setError(res.problem.message);
    }
  }

  idField.input.addEventListener('input', () => {
    clearTimeout(timer);
    if (worthChecking(typeField.input.value, idField.input.value))
      timer = setTimeout(check, CHECK_DELAY_MS);
  });
  idField.input.addEventListener('change', check);
  typeField.input.addEventListener('change', () => {
    typeField.clearError();
    if (idField.input.value.trim()) check();
  });
  ctx.onLeave(() => clearTimeout(timer));

  return plainPage('注册学信网帐号',
    h('p', { class: 'lead' }, '请如实填写以下信息，带 * 的为必填项。'),
    f.el,
    h('p', { class: 'page-links' }, '已有帐号？', choiceLinks([['/login', '登录'], ['/recover-username', '找回用户名']])));
}
