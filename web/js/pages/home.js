// The start page, the page for unknown addresses, and what a cancelled
// account sees.

import { h } from '../dom.js';
import { plainPage } from '../layout.js';
import { session } from '../session.js';

export function homePage(ctx) {
  if (session.kind === 'account') {
    ctx.navigate('/account', { replace: true });
    return h('p', {}, '正在进入帐号页面…');
  }
  if (session.kind === 'staff') {
    ctx.navigate('/admin/reviews', { replace: true });
    return h('p', {}, '正在进入审核队列…');
  }
  return plainPage('学信网帐号',
    h('p', { class: 'lead' }, '学信网帐号用于登录中国高等教育学生信息网的各项服务。'),
    h('div', { class: 'home-actions' },
      h('a', { href: '/login', class: 'btn btn-primary' }, '登录'),
      h('a', { href: '/register', class: 'btn' }, '注册学信网帐号')),
    h('section', { class: 'card', 'aria-labelledby': 'home-help' },
      h('h2', { id: 'home-help' }, '证件号码已被注册？'),
      h('p', {}, '注册时提示“证件号码已被注册”或“证件号码已经被注册，客服审核通过后才能被再次注册”，请查看 ',
        h('a', { href: '/help/id-duplicate', class: 'bracket-link' }, '【解决方法】'), '。'),
      h('p', {}, '忘记了注册时的用户名？请 ',
        h('a', { href: '/recover-username', class: 'bracket-link' }, '【找回用户名】'), '。')));
}

export function notFoundPage() {
  return plainPage('页面不存在',
    h('p', {}, '您访问的页面不存在。'),
    h('p', {}, h('a', { href: '/' }, '返回首页')));
}

export function cancelledPage(reason) {
  return plainPage('该帐号已被注销',
    h('div', { class: 'notice notice-error', role: 'alert', id: 'cancelled-notice' },
      h('p', {}, '该帐号已被注销，不能再使用。'),
      reason ? h('p', {}, `原因：${reason}`) : null),
    h('p', {}, '如果您曾使用其他用户名注册过帐号，请 ',
      h('a', { href: '/recover-username', class: 'bracket-link' }, '【找回用户名】'),
      ' 后使用该用户名登录。'));
}
