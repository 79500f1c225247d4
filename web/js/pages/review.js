// 证件重复-客服审核: the photo rules, the holder warning, the upload of the
// two hand-held ID photos and the student's own cases.

import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { form } from '../form.js';
import { reviewStateName, shortTime } from '../format.js';
import { accountShell } from '../layout.js';
import { isRestricted } from '../session.js';
import { photoRules } from './help.js';

const ACCEPT = '.jpg,.jpeg,.png,.gif,image/jpeg,image/png,image/gif';

function casesTable(items) {
  if (!items.length) return h('p', { id: 'my-reviews-empty' }, '您还没有提交过客服审核。');
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'table', id: 'my-reviews' },
      h('caption', {}, '我的客服审核记录'),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, '提交时间'),
        h('th', { scope: 'col' }, '审核状态'),
        h('th', { scope: 'col' }, '处理时间'),
        h('th', { scope: 'col' }, '说明'))),
      h('tbody', {}, items.map((r) => h('tr', { dataset: { state: r.state } },
        h('td', {}, shortTime(r.submitted_at)),
        h('td', {}, h('span', { class: `status status-review-${r.state}` }, reviewStateName(r.state))),
        h('td', {}, shortTime(r.closed_at)),
        h('td', {}, r.reason ? `驳回原因：${r.reason}` : ''))))));
}

function warningBox(warning) {
  const affected = warning.holder_has_military || warning.holder_has_grad_exam;
  return h('div', { class: `warning-box ${affected ? 'warning-strong' : ''}`, id: 'review-warning', role: 'note' },
    h('p', { class: 'warning-title' }, h('span', { 'aria-hidden': 'true' }, '⚠ '), '请慎重此操作'),
    h('p', {}, warning.message));
}

export async function reviewPage() {
  const [warning, mine] = await Promise.all([api.get('/reviews/warning'), api.get('/reviews/mine')]);
  const items = mine.ok ? mine.data.items || [] : [];
  const open = items.find((r) => r.state === 'open');
  const history = h('section', { class: 'card', 'aria-labelledby': 'history-title' },
    h('h2', { id: 'history-title' }, '审核记录'), casesTable(items));

  const intro = h('p', { class: 'lead' },
    '上传手持身份证的正面和背面照片，提交客服审核。客服审核通过后，您的帐号即可正常使用，使用了该证件号码的其他帐号将被注销。');
  const tip = h('p', { class: 'tip' }, '提示：客服审核处理速度较慢，建议优先使用 ',
    h('a', { href: '/account/assist' }, '证件重复-用户协助'), '，同学协助后马上就可以通过验证。');

  let action;
  if (!isRestricted()) {
    action = h('div', { class: 'notice', id: 'review-not-needed' },
      h('p', {}, '您的帐号不需要进行证件重复审核。'));
  } else if (open) {
    action = h('div', { class: 'notice', id: 'review-pending', role: 'status' },
      h('p', {}, `您已于 ${shortTime(open.submitted_at)} 提交客服审核，请耐心等待审核结果。`),
      h('p', {}, '审核期间，该证件号码不能被再次注册。'));
  } else {
    const box = h('div', {});
    const f = form({
      class: 'review-form',
      labelledBy: 'upload-title',
      submit: '提交审核',
      fields: [
        { name: 'front', label: '手持身份证照片（正面）', type: 'file', accept: ACCEPT, required: true,
          hint: '.jpg .jpeg .png .gif，不超过300K' },
        { name: 'back', label: '手持身份证照片（背面）', type: 'file', accept: ACCEPT, required: true,
          hint: '.jpg .jpeg .png .gif，不超过300K' },
      ],
      async onSubmit(values, ctl) {
        for (const side of ['front', 'back']) {
          if (!values[side]) {
            ctl.fields[side].setError('请选择照片');
            ctl.fields[side].input.focus();
            return;
          }
        }
        const body = new FormData();
        body.append('front', values.front, values.front.name);
        body.append('back', values.back, values.back.name);
        const res = await api.call('POST', '/reviews', body);
        if (!res.ok) {
          ctl.showProblem(res.problem);
          return;
        }
        replace(box, h('div', { class: 'notice notice-ok', id: 'review-submitted', role: 'status', tabindex: '-1' },
          h('p', {}, '照片已提交，请耐心等待客服审核。审核结果会通知您。')));
        box.firstChild.focus();
        const again = await api.get('/reviews/mine');
        if (again.ok) replace(history, h('h2', { id: 'history-title' }, '审核记录'), casesTable(again.data.items || []));
      },
    });
    replace(box,
      h('h2', { id: 'upload-title' }, '上传照片'),
      warning.ok ? warningBox(warning.data) : null,
      f.el);
    action = h('section', { class: 'card' }, box);
  }

  return accountShell('/account/review', '证件重复-客服审核',
    intro, tip,
    h('section', { class: 'card' }, photoRules(),
      h('p', { class: 'examples' }, h('span', {}, '示例：正面照片、背面照片均须手持本人身份证拍摄。'))),
    action,
    history);
}
