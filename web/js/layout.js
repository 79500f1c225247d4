// The frame around every page: the top bar (帐号, 收件箱(N), 退出), the
// banner of a restricted account, and the account pages' sidebar.

import { h, replace } from './dom.js';
import { session, isRestricted } from './session.js';

/** The seed's sidebar, in the seed's order. */
export const SIDEBAR = [
  ['/account/username', '修改用户名'],
  ['/account/password', '修改密码'],
  ['/account/info', '查看个人信息'],
  ['/account/settings', '设置个人信息'],
  ['/account/review', '证件重复-客服审核'],
  ['/account/assist', '证件重复-用户协助'],
  ['/account/login-log', '登录日志查询'],
];

/** "收件箱(N)", or "收件箱" before the count is known. */
export function inboxLabel(unread) {
  return Number.isFinite(unread) ? `收件箱(${unread})` : '收件箱';
}

/** Draws the top bar for the current session. */
export function renderTopbar(onLogout) {
  const nav = document.getElementById('topnav');
  const logout = h('button', { type: 'button', class: 'linklike', onclick: onLogout }, '退出');
  let items;
  if (session.kind === 'account') {
    items = [
      h('span', { class: 'topnav-user' }, session.me.username),
      h('a', { href: '/account', id: 'nav-account' }, '帐号'),
      h('a', { href: '/account/inbox', id: 'nav-inbox', class: session.unread ? 'has-unread' : null },
        h('span', { class: 'inbox-icon', 'aria-hidden': 'true' }, '✉'),
        h('span', { id: 'inbox-count' }, inboxLabel(session.unread))),
      logout,
    ];
  } else if (session.kind === 'staff') {
    items = [
      h('span', { class: 'topnav-user' }, `${session.staff.role === 'operator' ? '运维' : '客服'}：${session.staff.username || ''}`),
      session.staff && session.staff.role === 'operator'
        ? h('a', { href: '/admin/status', id: 'nav-status' }, '运行状态')
        : h('a', { href: '/admin/reviews', id: 'nav-queue' }, '审核队列'),
      logout,
    ];
  } else if (session.kind === 'cancelled') {
    items = [logout];
  } else {
    items = [
      h('a', { href: '/login', id: 'nav-login' }, '登录'),
      h('a', { href: '/register', id: 'nav-register' }, '注册'),
    ];
  }
  replace(nav, h('ul', {}, items.map((item) => h('li', {}, item))));
}

/** Updates only the inbox count, so nothing else on the page moves. */
export function updateInboxCount() {
  const count = document.getElementById('inbox-count');
  if (count) count.textContent = inboxLabel(session.unread);
  const link = document.getElementById('nav-inbox');
  if (link) link.classList.toggle('has-unread', Boolean(session.unread));
}

/** The banner a restricted account sees on every page. */
export function renderBanner() {
  const slot = document.getElementById('banner');
  if (!isRestricted()) {
    slot.replaceChildren();
    return;
  }
  replace(slot, h('section', { class: 'banner banner-restricted', 'aria-labelledby': 'banner-title' },
    h('div', { class: 'banner-inner' },
      h('h2', { id: 'banner-title', class: 'banner-title' }, '您的帐号证件号码重复，待审核'),
      h('p', {}, '您注册使用的证件号码已被其他帐号注册。只有待客服审核通过之后才能进行其他的操作。'),
      h('p', { class: 'banner-links' }, '请通过 ',
        h('a', { href: '/account/assist' }, '证件重复-用户协助'), '（推荐，同学协助后马上就可以通过验证）或 ',
        h('a', { href: '/account/review' }, '证件重复-客服审核'), ' 完成验证。'))));
}

/**
 * The account pages' frame: the title line "学信网帐号 - <title>", the
 * sidebar with the current item marked, and `content`.
 */
export function accountShell(current, title, ...content) {
  const side = h('nav', { class: 'sidebar', 'aria-label': '帐号功能' },
    h('ul', {}, SIDEBAR.map(([href, label]) =>
      h('li', {}, h('a', { href, 'aria-current': href === current ? 'page' : null }, label)))));
  return h('div', { class: 'account-layout' },
    side,
    h('section', { class: 'account-content' },
      h('h1', { class: 'page-title', id: 'page-title', tabindex: '-1' },
        h('span', { class: 'title-prefix' }, '学信网帐号 - '), title),
      content));
}

/** A page outside the account frame, with its heading. */
export function plainPage(title, ...content) {
  return h('div', { class: 'plain-page' },
    h('h1', { class: 'page-title', id: 'page-title', tabindex: '-1' }, title), content);
}

/**
 * What a restricted account sees on a page it may not use: why, and the
 * two pages where it can be verified.
 */
export function restrictedNotice(what) {
  return h('div', { class: 'notice notice-refusal', role: 'alert', id: 'restricted-refusal' },
    h('h2', {}, `暂时不能使用“${what}”`),
    h('p', {}, '您的帐号注册使用的证件号码已被其他帐号注册，证件号码重复，只有待客服审核通过之后才能进行其他的操作。'),
    h('p', {}, '请先完成证件号码重复审核：'),
    h('ul', {},
      h('li', {}, h('a', { href: '/account/assist' }, '证件重复-用户协助'),
        '：请已完成手机实名绑定的同班同学协助，同学同意后马上就可以通过验证（推荐）。'),
      h('li', {}, h('a', { href: '/account/review' }, '证件重复-客服审核'),
        '：上传手持身份证照片，等待客服审核。')));
}
