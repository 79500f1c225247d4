// The account pages of the seed's sidebar: the overview (帐号), 修改用户名,
// 修改密码, 查看个人信息, 设置个人信息 (with 实名绑定) and 登录日志查询.

import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { form } from '../form.js';
import { accountStatusName, idTypeName, longTime, yesNo } from '../format.js';
import { accountShell, restrictedNotice } from '../layout.js';
import { session, isRestricted, refreshMe } from '../session.js';

/** A definition list of [label, value] rows; empty values are left out. */
export function facts(rows, id) {
  return h('dl', { class: 'facts', id },
    rows.filter(([, value]) => value !== undefined && value !== null && value !== '')
      .map(([label, value, key]) => h('div', { class: 'fact', dataset: key ? { key } : undefined },
        h('dt', {}, label), h('dd', {}, value))));
}

/** A page a restricted account may not use: the frame with the refusal. */
function refused(path, title) {
  return accountShell(path, title, restrictedNotice(title));
}

/**
 * When the API refused because the account is restricted (its status
 * changed since the page was drawn), puts the refusal in `container`.
 */
function refusedByApi(res, container, title) {
  if (res.ok || res.problem.code !== 'ACCOUNT_RESTRICTED') return false;
  replace(container, restrictedNotice(title));
  return true;
}

function flashNote(ctx) {
  return ctx.flash ? h('p', { class: 'notice notice-ok', role: 'status' }, ctx.flash) : null;
}

// -- 帐号 (overview) ------------------------------------------------------------

export function accountHomePage(ctx) {
  const me = session.me;
  const restricted = me.status === 'restricted';
  return accountShell('/account', '帐号信息',
    flashNote(ctx),
    h('section', { class: 'card', 'aria-labelledby': 'overview-title' },
      h('h2', { id: 'overview-title' }, '基本信息'),
      facts([
        ['用户名', me.username, 'username'],
        ['帐号状态', h('span', { id: 'account-status', class: `status status-${me.status}`, dataset: { status: me.status } },
          accountStatusName(me.status)), 'status'],
        ['姓名', me.name],
        ['证件类型', idTypeName(me.id_type)],
        ['证件号码', me.id_number],
        ['手机号码', me.mobile],
        ['手机实名绑定', me.mobile_bound ? '已绑定' : h('span', {}, '未绑定 ',
          restricted ? null : h('a', { href: '/account/settings#phone-binding' }, '去绑定'))],
      ], 'account-facts')),
    restricted
      ? h('section', { class: 'card', 'aria-labelledby': 'next-title' },
        h('h2', { id: 'next-title' }, '如何完成证件号码重复审核'),
        h('p', {}, '您注册使用的证件号码已被其他帐号注册。只有待客服审核通过之后才能进行其他的操作。可以选择以下任一方法：'),
        h('ol', { class: 'methods' },
          h('li', {}, h('strong', {}, '同学协助（推荐）：'), '进入 ',
            h('a', { href: '/account/assist' }, '证件重复-用户协助'),
            '，发送协助请求给班级内已完成手机实名绑定的同学，同学在收件箱同意后马上就可以通过验证。'),
          h('li', {}, h('strong', {}, '客服审核：'), '进入 ',
            h('a', { href: '/account/review' }, '证件重复-客服审核'),
            '，上传手持身份证照片，等待客服审核。')))
      : h('section', { class: 'card', 'aria-labelledby': 'inbox-title' },
        h('h2', { id: 'inbox-title' }, '收件箱'),
        h('p', {}, '同学发来的证件重复协助请求和审核结果会出现在页面右上角的',
          h('a', { href: '/account/inbox' }, '收件箱'), '中。')));
}

// -- 修改用户名 -----------------------------------------------------------------

export function usernamePage() {
  const title = '修改用户名';
  if (isRestricted()) return refused('/account/username', title);
  const box = h('div', {});
  const f = form({
    labelledBy: 'page-title',
    fields: [
      { name: 'new_username', label: '新用户名', required: true, autocomplete: 'username',
        hint: '6-20 位字母、数字或下划线，以字母开头' },
      { name: 'password', label: '当前密码', type: 'password', required: true, autocomplete: 'current-password' },
    ],
    async onSubmit(values, ctl) {
      const res = await api.put('/me/username', {
        new_username: values.new_username.trim(), password: values.password,
      });
      if (refusedByApi(res, box, title)) return;
      if (!res.ok) {
        ctl.showProblem(res.problem);
        return;
      }
      ctl.el.reset();
      await refreshMe();
      ctl.success(`用户名已修改为 ${session.me ? session.me.username : values.new_username.trim()}，请使用新用户名登录。`);
    },
  });
  replace(box, h('p', { class: 'lead' }, `当前用户名：${session.me.username}`), f.el);
  return accountShell('/account/username', title, box);
}

// -- 修改密码 -------------------------------------------------------------------

export function passwordPage() {
  const title = '修改密码';
  if (isRestricted()) return refused('/account/password', title);
  const box = h('div', {});
  const f = form({
    labelledBy: 'page-title',
    fields: [
      { name: 'old_password', label: '原密码', type: 'password', required: true, autocomplete: 'current-password' },
      { name: 'new_password', label: '新密码', type: 'password', required: true, autocomplete: 'new-password',
        hint: '8-32 位，须同时包含字母和数字，不能包含用户名' },
      { name: 'new_password_confirm', label: '确认新密码', type: 'password', required: true, autocomplete: 'new-password' },
    ],
    async onSubmit(values, ctl) {
      if (values.new_password !== values.new_password_confirm) {
        ctl.fields.new_password_confirm.setError('两次输入的新密码不一致');
        ctl.fields.new_password_confirm.input.focus();
        return;
      }
      const res = await api.put('/me/password', {
        old_password: values.old_password, new_password: values.new_password,
      });
      if (refusedByApi(res, box, title)) return;
      if (!res.ok) {
        // The API names the field of the old password `password` when it
        // answers PASSWORD_WRONG without a field; show it there.
        if (res.problem.code === 'PASSWORD_WRONG' && !ctl.fields[res.problem.field]) {
          ctl.fields.old_password.setError(res.problem.message);
          ctl.fields.old_password.input.focus();
          return;
        }
        ctl.showProblem(res.problem);
        return;
      }
      ctl.el.reset();
      ctl.success('密码修改成功。其他设备上的登录已退出。');
    },
  });
  replace(box, f.el);
  return accountShell('/account/password', title, box);
}

// -- 查看个人信息 ---------------------------------------------------------------

const INFO_ROWS = [
  ['username', '用户名'],
  ['name', '姓名'],
  ['id_type', '证件类型', idTypeName],
  ['id_number', '证件号码'],
  ['mobile', '手机号码'],
  ['mobile_bound', '手机实名绑定', (b) => (b ? '已绑定' : '未绑定')],
  ['email', '电子邮箱'],
  ['status', '帐号状态', accountStatusName],
  ['military_registered', '兵役登记/应征报名', yesNo],
  ['grad_exam_registered', '研招报名', yesNo],
  ['created_at', '注册时间', longTime],
];

function infoFacts(info) {
  return facts(INFO_ROWS.filter(([key]) => key in info)
    .map(([key, label, show]) => [label, show ? show(info[key]) : info[key], key]), 'personal-info');
}

export async function infoPage() {
  const res = await api.get('/me/personal-info');
  let body;
  if (res.ok) {
    body = h('section', { class: 'card' }, infoFacts(res.data));
  } else {
    body = h('div', { class: 'notice notice-error', role: 'alert' }, res.problem.message);
  }
  return accountShell('/account/info', '查看个人信息',
    h('p', { class: 'lead' }, '以下是您本人的完整个人信息，请注意保护隐私。'), body,
    isRestricted() ? null : h('p', {}, h('a', { href: '/account/settings' }, '设置个人信息')));
}

// -- 设置个人信息 and 实名绑定 -----------------------------------------------------

function bindingSection(info, onBound) {
  const box = h('section', { class: 'card', id: 'phone-binding', 'aria-labelledby': 'binding-title' },
    h('h2', { id: 'binding-title' }, '手机实名绑定'));
  if (info.mobile_bound) {
    box.append(h('p', { id: 'binding-state' }, `已成功完成手机实名绑定：${info.mobile || ''}`));
    return box;
  }
  let sentTo = null;
  const codeForm = form({
    class: 'binding-code-form',
    submit: '绑定',
    fields: [
      { name: 'code', label: '短信验证码', required: true, inputmode: 'numeric', maxlength: 6,
        autocomplete: 'one-time-code', hint: '6 位数字' },
    ],
    async onSubmit(values, ctl) {
      const res = await api.post('/me/phone-binding', { mobile: sentTo, code: values.code.trim() });
      if (!res.ok) {
        ctl.showProblem(res.problem);
        return;
      }
      await refreshMe();
      onBound();
    },
  });
  codeForm.el.hidden = true;
  const sendForm = form({
    class: 'binding-form',
    submit: '获取短信验证码',
    fields: [
      { name: 'mobile', label: '手机号码', type: 'tel', required: true, inputmode: 'tel', autocomplete: 'tel',
        value: info.mobile || '', hint: '绑定后同学可以通过您的姓名和手机号请您协助证件重复审核' },
    ],
    async onSubmit(values, ctl) {
      const mobile = values.mobile.trim();
      const res = await api.post('/me/phone-binding/code', { mobile });
      if (!res.ok) {
        ctl.showProblem(res.problem);
        return;
      }
      sentTo = mobile;
      ctl.success(`验证码已发送至 ${mobile}，请查收短信。`);
      codeForm.el.hidden = false;
      codeForm.fields.code.input.focus();
    },
  });
  box.append(h('p', { id: 'binding-state' }, '尚未完成手机实名绑定。'), sendForm.el, codeForm.el);
  return box;
}

export async function settingsPage(ctx) {
  const title = '设置个人信息';
  if (isRestricted()) return refused('/account/settings', title);
  const res = await api.get('/me/personal-info');
  if (!res.ok) {
    return accountShell('/account/settings', title,
      h('div', { class: 'notice notice-error', role: 'alert' }, res.problem.message));
  }
  const info = res.data;
  const box = h('div', {});
  const fields = [
    { name: 'email', label: '电子邮箱', type: 'email', autocomplete: 'email', value: info.email || '' },
  ];
  if (!info.mobile_bound) {
    fields.push({ name: 'mobile', label: '手机号码', type: 'tel', autocomplete: 'tel', inputmode: 'tel',
      value: info.mobile || '', hint: '完成手机实名绑定后，手机号码只能通过重新绑定修改' });
  }
  const f = form({
    labelledBy: 'info-form-title',
    submit: '保存',
    fields,
    async onSubmit(values, ctl) {
      const body = { email: values.email.trim() };
      if ('mobile' in values) body.mobile = values.mobile.trim();
      const put = await api.put('/me/personal-info', body);
      if (refusedByApi(put, box, title)) return;
      if (!put.ok) {
        ctl.showProblem(put.problem);
        return;
      }
      await refreshMe();
      ctl.success('个人信息已保存。');
    },
  });
  const redraw = () => {
    ctx.navigate('/account/settings#phone-binding', { replace: true });
  };
  replace(box,
    h('section', { class: 'card', 'aria-labelledby': 'info-form-title' },
      h('h2', { id: 'info-form-title' }, '联系方式'),
      info.mobile_bound ? h('p', {}, `手机号码：${info.mobile || ''}（已实名绑定）`) : null,
      f.el),
    bindingSection(info, redraw));
  return accountShell('/account/settings', title, box);
}

// -- 登录日志查询 ---------------------------------------------------------------

const LOG_PAGE = 20;

function logRows(items) {
  return items.map((item) => h('tr', {},
    h('td', {}, longTime(item.time)),
    h('td', {}, item.ip || ''),
    h('td', { class: 'cell-client' }, item.client || ''),
    h('td', {}, h('span', { class: `status ${item.success ? 'status-active' : 'status-cancelled'}` },
      item.success ? '成功' : '失败'))));
}

export async function loginLogPage() {
  const title = '登录日志查询';
  if (isRestricted()) return refused('/account/login-log', title);
  const box = h('div', {});
  const tbody = h('tbody', {});
  const more = h('button', { type: 'button', class: 'btn', hidden: true }, '查看更早的记录');
  let before = null;

  async function loadPage() {
    const query = `?limit=${LOG_PAGE}${before ? `&before=${encodeURIComponent(before)}` : ''}`;
    const res = await api.get(`/me/login-log${query}`);
    if (refusedByApi(res, box, title)) return false;
    if (!res.ok) {
      replace(box, h('div', { class: 'notice notice-error', role: 'alert' }, res.problem.message));
      return false;
    }
    const items = res.data.items || [];
    tbody.append(...logRows(items));
    before = res.data.next_before || (items.length ? items[items.length - 1].time : null);
    more.hidden = items.length < LOG_PAGE;
    return true;
  }

  more.addEventListener('click', () => loadPage());
  replace(box,
    h('div', { class: 'table-wrap' },
      h('table', { class: 'table', id: 'login-log' },
        h('caption', {}, '最近的登录记录（时间为北京时间）'),
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, '登录时间'),
          h('th', { scope: 'col' }, 'IP 地址'),
          h('th', { scope: 'col' }, '客户端'),
          h('th', { scope: 'col' }, '结果'))),
        tbody)),
    more);
  await loadPage();
  return accountShell('/account/login-log', title, box);
}
