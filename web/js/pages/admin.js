// The reviewer's pages: the queue (oldest first, with position, age and the
// holder warning badge) and one case (photos, warning, history, approve or
// reject with a reason).

import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { form } from '../form.js';
import { age, eventKindName, idTypeName, longTime, reviewStateName, shortTime, accountStatusName } from '../format.js';
import { plainPage } from '../layout.js';
import { facts } from './account.js';

const STATES = [
  ['open', '待审核'],
  ['approved', '已通过'],
  ['rejected', '已驳回'],
  ['void', '已撤销'],
];

function warningBadge(warning) {
  if (!warning) return null;
  const parts = [];
  if (warning.holder_has_military) parts.push('兵役登记/应征报名');
  if (warning.holder_has_grad_exam) parts.push('研招报名');
  if (!parts.length) return null;
  return h('span', { class: 'badge badge-warn', title: warning.message }, `旧帐号有${parts.join('、')}`);
}

function queueTable(items, state) {
  if (!items.length) return h('p', { id: 'queue-empty' }, state === 'open' ? '没有待审核的申请。' : '没有记录。');
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'table', id: 'queue-table' },
      h('caption', {}, state === 'open' ? '待审核的申请，最早提交的在前' : '已处理的申请'),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, '序号'),
        h('th', { scope: 'col' }, '提交时间'),
        h('th', { scope: 'col' }, '已等待'),
        h('th', { scope: 'col' }, '申请人'),
        h('th', { scope: 'col' }, '提示'),
        h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, '操作')))),
      h('tbody', {}, items.map((item) => h('tr', { dataset: { id: item.id } },
        h('td', {}, String(item.position)),
        h('td', {}, shortTime(item.submitted_at)),
        h('td', {}, age(item.age_seconds)),
        h('td', {}, `${item.claimant.name || ''}（${item.claimant.username || ''}）`),
        h('td', {}, warningBadge(item.warning)),
        h('td', {}, h('a', { href: `/admin/reviews/${item.id}`, 'aria-label': `处理第 ${item.position} 个申请` },
          state === 'open' ? '处理' : '查看')))))));
}

export async function queuePage(ctx) {
  const state = STATES.some(([s]) => s === ctx.query.get('state')) ? ctx.query.get('state') : 'open';
  const res = await api.get(`/admin/reviews?state=${state}&limit=50`);
  const tabs = h('nav', { class: 'tabs', 'aria-label': '审核状态' },
    h('ul', {}, STATES.map(([s, label]) => h('li', {},
      h('a', { href: `/admin/reviews?state=${s}`, 'aria-current': s === state ? 'page' : null }, label)))));
  let body;
  if (!res.ok) {
    body = h('div', { class: 'notice notice-error', role: 'alert' }, res.problem.message);
  } else {
    body = [
      h('p', { id: 'queue-total' }, `待审核申请共 ${res.data.open_total} 件`),
      queueTable(res.data.items || [], state),
    ];
  }
  return plainPage('证件重复-客服审核队列', tabs, body,
    h('p', {}, h('a', { href: `/admin/reviews?state=${state}`, class: 'btn' }, '刷新')));
}

function personFacts(person, id) {
  if (!person) return h('p', { id }, '无');
  return facts([
    ['用户名', person.username],
    ['姓名', person.name],
    ['帐号状态', accountStatusName(person.status)],
    ['兵役登记/应征报名', person.military_registered ? '有' : '无'],
    ['研招报名', person.grad_exam_registered ? '有' : '无'],
  ], id);
}

function historyTable(events) {
  if (!events || !events.length) return h('p', {}, '没有记录。');
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'table', id: 'case-history' },
      h('caption', {}, '该证件号码的处理记录'),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, '时间'),
        h('th', { scope: 'col' }, '事件'),
        h('th', { scope: 'col' }, '帐号'),
        h('th', { scope: 'col' }, '说明'))),
      h('tbody', {}, events.map((e) => h('tr', {},
        h('td', {}, longTime(e.at)),
        h('td', {}, eventKindName(e.kind)),
        h('td', {}, e.account_id ? `#${e.account_id}` : ''),
        h('td', {}, e.detail || ''))))));
}

function photo(src, label) {
  return h('figure', { class: 'photo' },
    h('a', { href: src, target: '_blank', rel: 'noopener' },
      h('img', { src, alt: `${label}：申请人手持身份证照片`, loading: 'lazy' })),
    h('figcaption', {}, label));
}

export async function casePage(ctx) {
  const id = ctx.params.id;
  const res = await api.get(`/admin/reviews/${encodeURIComponent(id)}`);
  const back = h('p', { class: 'page-links' }, h('a', { href: '/admin/reviews', class: 'bracket-link' }, '【返回】'));
  if (!res.ok) {
    return plainPage('客服审核', h('div', { class: 'notice notice-error', role: 'alert' }, res.problem.message), back);
  }
  const c = res.data;
  const decision = h('section', { class: 'card', 'aria-labelledby': 'decision-title', id: 'decision' });
  const stateLine = h('p', { id: 'case-state', dataset: { state: c.state } },
    `审核状态：${reviewStateName(c.state)}`, c.reason ? `（${c.reason}）` : '');

  function closed(text) {
    replace(decision, h('h2', { id: 'decision-title', tabindex: '-1' }, '审核结果'),
      h('p', { role: 'status', id: 'decision-result' }, text));
    decision.querySelector('h2').focus();
  }

  if (c.state !== 'open') {
    replace(decision, h('h2', { id: 'decision-title' }, '审核结果'),
      h('p', {}, `${reviewStateName(c.state)}${c.closed_at ? `，${shortTime(c.closed_at)}` : ''}`));
  } else {
    const alertBox = h('div', { class: 'form-alert', role: 'alert', hidden: true });
    const approve = h('button', { type: 'button', class: 'btn btn-primary', id: 'approve-case' }, '审核通过');
    approve.addEventListener('click', async () => {
      approve.disabled = true;
      alertBox.hidden = true;
      const r = await api.post(`/admin/reviews/${encodeURIComponent(id)}/approve`);
      if (!r.ok) {
        alertBox.textContent = r.problem.message;
        alertBox.hidden = false;
        approve.disabled = false;
        return;
      }
      const n = (r.data.cancelled || []).length;
      stateLine.textContent = `审核状态：${reviewStateName('approved')}`;
      closed(`已审核通过，申请人帐号已恢复正常使用${n ? `，已注销 ${n} 个使用该证件号码的其他帐号` : ''}。`);
    });
    const reject = form({
      class: 'reject-form',
      labelledBy: 'reject-title',
      submit: '驳回',
      fields: [{ name: 'reason', label: '驳回原因', type: 'textarea', required: true, maxlength: 100,
        hint: '1-100 个字，申请人可以看到' }],
      async onSubmit(values, ctl) {
        if (!values.reason.trim()) {
          ctl.fields.reason.setError('请填写驳回原因（1-100 个字）');
          ctl.fields.reason.input.focus();
          return;
        }
        const r = await api.post(`/admin/reviews/${encodeURIComponent(id)}/reject`, { reason: values.reason.trim() });
        if (!r.ok) {
          ctl.showProblem(r.problem);
          return;
        }
        stateLine.textContent = `审核状态：${reviewStateName('rejected')}（${values.reason.trim()}）`;
        closed('已驳回，申请人可以看到驳回原因并重新提交。');
      },
    });
    replace(decision,
      h('h2', { id: 'decision-title' }, '审核'),
      alertBox,
      h('div', { class: 'warning-box', role: 'note', id: 'case-warning' },
        h('p', {}, c.warning ? c.warning.message : '')),
      h('div', { class: 'button-row' }, approve),
      h('h3', { id: 'reject-title' }, '驳回申请'),
      reject.el);
  }

  return plainPage(`客服审核 #${c.id}`,
    back,
    h('section', { class: 'card', 'aria-labelledby': 'case-title' },
      h('h2', { id: 'case-title' }, '申请信息'),
      stateLine,
      warningBadge(c.warning),
      facts([
        ['提交时间', longTime(c.submitted_at)],
        ['已等待', age(c.age_seconds)],
        ['证件类型', idTypeName(c.id_type)],
        ['证件号码', c.id_number, 'id_number'],
      ], 'case-facts')),
    h('div', { class: 'two-col' },
      h('section', { class: 'card', 'aria-labelledby': 'claimant-title' },
        h('h2', { id: 'claimant-title' }, '申请人'), personFacts(c.claimant, 'claimant')),
      h('section', { class: 'card', 'aria-labelledby': 'holder-title' },
        h('h2', { id: 'holder-title' }, '当前使用该证件号码的帐号'), personFacts(c.holder, 'holder'))),
    h('section', { class: 'card', 'aria-labelledby': 'photos-title' },
      h('h2', { id: 'photos-title' }, '照片'),
      c.photos
        ? h('div', { class: 'photos' }, photo(c.photos.front, '正面'), photo(c.photos.back, '背面'))
        : h('p', {}, '照片已删除。')),
    decision,
    h('section', { class: 'card', 'aria-labelledby': 'history-title' },
      h('h2', { id: 'history-title' }, '历史记录'), historyTable(c.events)));
}
