// 收件箱: the list (refreshed live when the count changes) and the seed's
// detail view 证件号码重复审核处理结果明细 (请求发送时间, 请求处理时间, 求助者,
// 处理结果, 【返回】) with approve / decline for a pending request.

import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { assistStateName, shortTime } from '../format.js';
import { accountShell, inboxLabel, restrictedNotice } from '../layout.js';
import { isRestricted, setUnread, onUnreadChange } from '../session.js';
import { facts } from './account.js';

const KIND_NAME = {
  assist_request: '协助请求',
  assist_declined: '协助请求被拒绝',
  assist_ended: '协助请求已失效',
  review_approved: '客服审核通过',
  review_rejected: '客服审核未通过',
  claim_resolved: '证件重复审核通过',
  account_cancelled: '帐号注销',
  claim_contested: '证件号码被重复注册',
};

function itemRows(items) {
  return items.map((item) => h('tr', { class: item.read ? 'read' : 'unread', dataset: { id: item.id, kind: item.kind } },
    h('td', {}, shortTime(item.sent_at || item.created_at)),
    h('td', {}, item.read ? '' : h('span', { class: 'badge badge-new' }, '未读'), KIND_NAME[item.kind] || item.kind),
    h('td', {}, item.requester ? `求助者：${item.requester}` : item.text),
    h('td', {}, item.state ? assistStateName(item.state) : ''),
    h('td', {}, h('a', { href: `/account/inbox/${item.id}`, 'aria-label': `查看 ${shortTime(item.sent_at || item.created_at)} 的${KIND_NAME[item.kind] || '消息'}` }, '查看'))));
}

export async function inboxPage(ctx) {
  const title = '收件箱';
  if (isRestricted()) return accountShell('/account/inbox', title, restrictedNotice(title));
  const box = h('div', { id: 'inbox', 'aria-live': 'polite' });

  let shownUnread = null; // the count the list on screen was loaded with
  async function load() {
    const res = await api.get('/inbox');
    if (!ctx.isCurrent()) return;
    if (!res.ok) {
      replace(box, res.problem.code === 'ACCOUNT_RESTRICTED'
        ? restrictedNotice(title)
        : h('div', { class: 'notice notice-error', role: 'alert' }, res.problem.message));
      return;
    }
    shownUnread = res.data.unread;
    setUnread(res.data.unread);
    const items = res.data.items || [];
    replace(box,
      h('p', { id: 'inbox-summary' }, `${inboxLabel(res.data.unread)}：共 ${items.length} 条消息，${res.data.unread} 条未读`),
      items.length
        ? h('div', { class: 'table-wrap' },
          h('table', { class: 'table', id: 'inbox-table' },
            h('caption', {}, '收到的消息，最新的在前'),
            h('thead', {}, h('tr', {},
              h('th', { scope: 'col' }, '时间'),
              h('th', { scope: 'col' }, '类型'),
              h('th', { scope: 'col' }, '内容'),
              h('th', { scope: 'col' }, '状态'),
              h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, '操作')))),
            h('tbody', {}, itemRows(items))))
        : h('p', { id: 'inbox-empty' }, '收件箱中没有消息。'));
  }

  // The count changed on the server (a new request, or read elsewhere):
  // show the new list without a reload.
  ctx.onLeave(onUnreadChange((n) => {
    if (n !== shownUnread) load();
  }));
  await load();
  return accountShell('/account/inbox', title, box);
}

function detailFacts(item) {
  return facts([
    ['请求发送时间', shortTime(item.sent_at), 'sent_at'],
    ['请求处理时间', item.processed_at ? shortTime(item.processed_at) : '尚未处理', 'processed_at'],
    ['求助者', item.requester, 'requester'],
    ['求助者手机号', item.requester_mobile, 'requester_mobile'],
    ['处理结果', h('span', { id: 'assist-result', class: `status status-assist-${item.state}` },
      item.result || assistStateName(item.state)), 'result'],
  ], 'assist-detail');
}

export async function inboxDetailPage(ctx) {
  const back = h('p', { class: 'page-links' }, h('a', { href: '/account/inbox', class: 'bracket-link', id: 'back-link' }, '【返回】'));
  if (isRestricted()) return accountShell('/account/inbox', '收件箱', restrictedNotice('收件箱'));
  const res = await api.get(`/inbox/${encodeURIComponent(ctx.params.id)}`);
  if (!res.ok) {
    return accountShell('/account/inbox', '收件箱',
      h('div', { class: 'notice notice-error', role: 'alert' }, res.problem.message), back);
  }
  const item = res.data;
  if (item.kind !== 'assist_request') {
    return accountShell('/account/inbox', '收件箱',
      h('section', { class: 'card', 'aria-labelledby': 'notice-title' },
        h('h2', { id: 'notice-title' }, KIND_NAME[item.kind] || '消息'),
        facts([['时间', shortTime(item.created_at)], ['内容', item.text]], 'notice-detail')),
      back);
  }

  const box = h('section', { class: 'card detail-card', 'aria-labelledby': 'detail-title' });
  const actions = h('div', { class: 'detail-actions' });
  const message = h('div', { class: 'form-alert', role: 'alert', hidden: true });

  function draw(current) {
    replace(box, h('h2', { id: 'detail-title' }, '证件号码重复审核处理结果明细'), detailFacts(current), message, actions);
    actions.replaceChildren();
    if (current.state !== 'pending') return;
    const approve = h('button', { type: 'button', class: 'btn btn-primary', id: 'approve-assist' }, '同意协助');
    const decline = h('button', { type: 'button', class: 'btn', id: 'decline-assist' }, '拒绝');
    async function decide(verb) {
      approve.disabled = true;
      decline.disabled = true;
      message.hidden = true;
      const r = await api.post(`/inbox/${encodeURIComponent(item.id)}/${verb}`);
      const again = await api.get(`/inbox/${encodeURIComponent(item.id)}`);
      if (again.ok) draw(again.data);
      if (!r.ok) {
        message.textContent = r.problem.message;
        message.hidden = false;
      }
      const result = box.querySelector('#assist-result');
      if (result) {
        result.setAttribute('tabindex', '-1');
        result.focus();
      }
    }
    approve.addEventListener('click', () => decide('approve'));
    decline.addEventListener('click', () => decide('decline'));
    actions.append(
      h('p', {}, `${current.requester || '同学'} 请求您协助完成证件号码重复审核。请确认求助者是您的大学同班同学，且其手机号为 ${current.requester_mobile || ''}。`),
      h('p', { class: 'warning-text' }, '同意后，求助者的帐号将通过证件重复审核，使用了该证件号码的其他帐号将被注销。'),
      h('div', { class: 'button-row' }, approve, decline));
  }
  draw(item);
  return accountShell('/account/inbox', '请求同学协助完成证件号码重复审核', box, back);
}
