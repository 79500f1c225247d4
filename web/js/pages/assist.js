// 证件重复-用户协助: the seed's form (同学姓名, 同学手机号, 自己的手机号, 确定),
// the day's quota (注：每天可发送协助请求5条) and the requests sent.

import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { form } from '../form.js';
import { assistStateName, shortTime } from '../format.js';
import { accountShell } from '../layout.js';
import { isRestricted } from '../session.js';

function quotaLine(quota) {
  if (!quota) return h('p', { class: 'quota', id: 'assist-quota' }, '注：每天可发送协助请求5条');
  return h('p', { class: 'quota', id: 'assist-quota', dataset: { remaining: quota.remaining } },
    `注：每天可发送协助请求${quota.limit}条`,
    h('span', { class: 'quota-left', id: 'assist-remaining' },
      `，今天还可以发送 ${quota.remaining} 条`),
    quota.remaining === 0 ? h('span', {}, `，将于 ${shortTime(quota.resets_at)} 恢复`) : null);
}

function sentTable(items) {
  if (!items.length) return h('p', { id: 'assist-sent-empty' }, '您还没有发送过协助请求。');
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'table', id: 'assist-sent' },
      h('caption', {}, '已发送的协助请求'),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, '同学'),
        h('th', { scope: 'col' }, '请求发送时间'),
        h('th', { scope: 'col' }, '请求处理时间'),
        h('th', { scope: 'col' }, '处理结果'))),
      h('tbody', {}, items.map((r) => h('tr', { dataset: { state: r.state } },
        h('td', {}, r.classmate || ''),
        h('td', {}, shortTime(r.sent_at)),
        h('td', {}, shortTime(r.processed_at)),
        h('td', {}, h('span', { class: `status status-assist-${r.state}` },
          r.result || assistStateName(r.state))))))));
}

export async function assistPage() {
  const title = '请求同学协助完成证件号码重复审核';
  const [quotaRes, mineRes] = await Promise.all([
    api.get('/assist-requests/quota'), api.get('/assist-requests/mine'),
  ]);
  let quota = quotaRes.ok ? quotaRes.data : null;
  const quotaBox = h('div', {}, quotaLine(quota));
  const sent = h('section', { class: 'card', 'aria-labelledby': 'sent-title' },
    h('h2', { id: 'sent-title' }, '协助请求记录'), sentTable(mineRes.ok ? mineRes.data.items || [] : []));

  async function reloadSent() {
    const again = await api.get('/assist-requests/mine');
    if (again.ok) replace(sent, h('h2', { id: 'sent-title' }, '协助请求记录'), sentTable(again.data.items || []));
  }

  let action;
  if (!isRestricted()) {
    action = h('div', { class: 'notice', id: 'assist-not-needed' },
      h('p', {}, '您的帐号不需要进行证件重复审核。'),
      h('p', {}, '如果有同学请求您协助，请在页面右上角的', h('a', { href: '/account/inbox' }, '收件箱'), '中处理。'));
  } else {
    const f = form({
      class: 'assist-form',
      labelledBy: 'assist-form-title',
      submit: '确定',
      fields: [
        { name: 'classmate_name', label: '同学姓名', required: true, autocomplete: 'off',
          hint: '(已成功完成手机实名绑定的大学同班同学的姓名)' },
        { name: 'classmate_mobile', label: '同学手机号', type: 'tel', required: true, inputmode: 'tel',
          autocomplete: 'off' },
        { name: 'own_mobile', label: '自己的手机号', type: 'tel', required: true, inputmode: 'tel',
          autocomplete: 'tel', hint: '(填写后同学可以查看到)' },
      ],
      async onSubmit(values, ctl) {
        const res = await api.post('/assist-requests', {
          classmate_name: values.classmate_name.trim(),
          classmate_mobile: values.classmate_mobile.trim(),
          own_mobile: values.own_mobile.trim(),
        });
        const q = await api.get('/assist-requests/quota');
        if (q.ok) {
          quota = q.data;
          replace(quotaBox, quotaLine(quota));
        }
        if (!res.ok) {
          ctl.showProblem(res.problem);
          return;
        }
        ctl.el.reset();
        ctl.success('协助请求已发送。请通知同学登录学信网帐号，点击页面右上角的收件箱处理您的请求。');
        await reloadSent();
      },
    });
    action = h('section', { class: 'card', 'aria-labelledby': 'assist-form-title' },
      h('h2', { id: 'assist-form-title' }, '发送协助请求'),
      quotaBox, f.el);
  }

  return accountShell('/account/assist', title,
    h('p', { class: 'lead' }, '请已经可以正常登录学信网的大学同班同学协助，同学登录后在收件箱中同意，马上就可以通过验证。'),
    isRestricted() ? null : quotaBox,
    action,
    sent);
}
