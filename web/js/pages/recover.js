// 找回用户名: ID number + name, then the SMS code sent to the bound mobile,
// answers the (masked) usernames on that ID.

import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { form, choiceLinks } from '../form.js';
import { ID_TYPES } from '../format.js';
import { plainPage } from '../layout.js';

export function recoverPage() {
  const result = h('div', { id: 'recover-result', 'aria-live': 'polite' });
  let asked = null; // {id_type, id_number, name} the code was sent for

  const codeForm = form({
    class: 'recover-code-form',
    submit: '找回用户名',
    fields: [
      { name: 'code', label: '短信验证码', required: true, autocomplete: 'one-time-code',
        inputmode: 'numeric', maxlength: 6, hint: '6 位数字，发送到该证件号码绑定的手机' },
    ],
    async onSubmit(values, ctl) {
      const res = await api.post('/username-recovery', { ...asked, code: values.code.trim() });
      if (!res.ok) {
        ctl.showProblem(res.problem);
        return;
      }
      const names = res.data.usernames || [];
      replace(result, h('section', { class: 'card', 'aria-labelledby': 'recover-found' },
        h('h2', { id: 'recover-found' }, names.length ? '找到以下用户名' : '没有找到用户名'),
        names.length
          ? h('ul', { class: 'username-list' }, names.map((n) => h('li', {}, n)))
          : h('p', {}, '该证件号码没有可以登录的帐号。'),
        h('p', {}, '请使用旧的用户名', choiceLinks([['/login', '登录']]))));
    },
  });
  codeForm.el.hidden = true;

  const askForm = form({
    class: 'recover-form',
    labelledBy: 'page-title',
    submit: '获取短信验证码',
    fields: [
      { name: 'id_type', label: '证件类型', type: 'select', options: ID_TYPES, value: 'resident' },
      { name: 'id_number', label: '证件号码', required: true, autocomplete: 'off' },
      { name: 'name', label: '姓名', required: true, autocomplete: 'name' },
    ],
    async onSubmit(values, ctl) {
      const body = { id_type: values.id_type, id_number: values.id_number, name: values.name.trim() };
      const res = await api.post('/username-recovery/code', body);
      if (!res.ok) {
        ctl.showProblem(res.problem);
        return;
      }
      asked = body;
      ctl.success('如果填写的信息正确，验证码已发送到该证件号码绑定的手机，请查收短信。');
      codeForm.el.hidden = false;
      codeForm.fields.code.input.focus();
    },
  });

  return plainPage('找回用户名',
    h('p', { class: 'lead' }, '填写注册时使用的证件号码和姓名，通过绑定手机接收的短信验证码找回用户名。'),
    askForm.el, codeForm.el, result,
    h('p', { class: 'page-links' }, choiceLinks([['/login', '登录'], ['/register', '注册']])));
}
