// The single-page app: a history-API router over the pages, the frame
// (top bar, banner), the session and the live connection.

import * as api from './api.js';
import { h, replace } from './dom.js';
import { createLive } from './live.js';
import { renderBanner, renderTopbar, updateInboxCount } from './layout.js';
import {
  session, load, logout, forget, refreshMe, setUnread, onSessionChange,
  onUnreadChange, accessKey,
  staffHome,
} from './session.js';
import { accountStatusName } from './format.js';
import { homePage, notFoundPage, cancelledPage } from './pages/home.js';
import { registerPage } from './pages/register.js';
import { loginPage } from './pages/login.js';
import { helpPage } from './pages/help.js';
import { recoverPage } from './pages/recover.js';
import {
  accountHomePage, usernamePage, passwordPage, infoPage, settingsPage, loginLogPage,
} from './pages/account.js';
import { reviewPage } from './pages/review.js';
import { assistPage } from './pages/assist.js';
import { inboxPage, inboxDetailPage } from './pages/inbox.js';
import { queuePage, casePage } from './pages/admin.js';
import { statusPage } from './pages/status.js';

/** path pattern, page, who may see it ('any', 'account', 'staff'). */
const ROUTES = [
  ['/', homePage, 'any'],
  ['/register', registerPage, 'any'],
  ['/login', loginPage, 'any'],
  ['/help/id-duplicate', helpPage, 'any'],
  ['/recover-username', recoverPage, 'any'],
  ['/account', accountHomePage, 'account'],
  ['/account/username', usernamePage, 'account'],
  ['/account/password', passwordPage, 'account'],
  ['/account/info', infoPage, 'account'],
  ['/account/settings', settingsPage, 'account'],
  ['/account/review', reviewPage, 'account'],
  ['/account/assist', assistPage, 'account'],
  ['/account/login-log', loginLogPage, 'account'],
  ['/account/inbox', inboxPage, 'account'],
  ['/account/inbox/:id', inboxDetailPage, 'account'],
  ['/admin/reviews', queuePage, 'staff'],
  ['/admin/reviews/:id', casePage, 'staff'],
  ['/admin/status', statusPage, 'staff'],
].map(([pattern, page, who]) => ({ pattern, page, who, regex: compile(pattern) }));

function compile(pattern) {
  const names = [];
  const source = pattern.replace(/:([a-z]+)/g, (_, name) => {
    names.push(name);
    return '([^/]+)';
  });
  return { re: new RegExp(`^${source}/?$`), names };
}

function match(path) {
  for (const route of ROUTES) {
    const m = route.regex.re.exec(path);
    if (m) {
      const params = {};
      route.regex.names.forEach((name, i) => {
        params[name] = decodeURIComponent(m[i + 1]);
      });
      return { route, params };
    }
  }
  return null;
}

const main = document.getElementById('main');
let renderSeq = 0;
let leaving = [];
let firstRender = true;
let shownKey = '';
let started = false;
/** A message to show on the next page (e.g. after a forced logout). */
let flash = null;

export function navigate(path, { replace: replaceState = false } = {}) {
  if (replaceState) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  render();
}

/** Where a page must send its visitor instead, if anywhere. */
function redirectFor(who, path) {
  if (who === 'account') {
    if (session.kind === 'anon') return `/login?next=${encodeURIComponent(path)}`;
    if (session.kind === 'staff') return staffHome(session.staff);
  }
  if (who === 'staff') {
    if (session.kind === 'anon') return `/login?next=${encodeURIComponent(path)}`;
    if (session.kind === 'account') return '/account';
  }
  return null;
}

async function render() {
  const seq = ++renderSeq;
  for (const fn of leaving) fn();
  leaving = [];
  const path = location.pathname;
  const found = match(path);
  shownKey = accessKey();
  let node;
  if (session.kind === 'cancelled' && found && found.route.who !== 'any') {
    node = cancelledPage(session.cancelReason);
  } else if (!found) {
    node = notFoundPage();
  } else {
    const to = redirectFor(found.route.who, path + location.search);
    if (to) {
      if (to.startsWith('/login')) flash = flash || '请先登录';
      navigate(to, { replace: true });
      return;
    }
    const ctx = {
      params: found.params,
      query: new URLSearchParams(location.search),
      navigate,
      flash: flash,
      onLeave: (fn) => leaving.push(fn),
      isCurrent: () => seq === renderSeq,
    };
    flash = null;
    try {
      node = await found.route.page(ctx);
    } catch (err) {
      console.error(err);
      node = h('div', { class: 'notice notice-error', role: 'alert' },
        h('h1', { class: 'page-title', tabindex: '-1' }, '页面出错了'),
        h('p', {}, '页面加载失败，请刷新后重试。'));
    }
  }
  if (seq !== renderSeq) return;
  replace(main, node);
  const heading = main.querySelector('h1');
  document.title = heading ? `${heading.textContent} - 学信网帐号` : '学信网帐号';
  if (!firstRender && heading) heading.focus();
  else if (!firstRender) main.focus();
  firstRender = false;
  window.scrollTo(0, 0);
}

// -- links --------------------------------------------------------------------

document.addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const a = event.target.closest('a');
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
  if (url.hash && url.pathname === location.pathname) return; // in-page anchors
  event.preventDefault();
  navigate(url.pathname + url.search);
});

window.addEventListener('popstate', () => render());

// -- session and live events -----------------------------------------------------

const liveStatus = document.getElementById('live-status');

const live = createLive({
  inbox(unread) {
    const before = session.unread;
    setUnread(unread);
    if (Number.isFinite(before) && unread > before)
      liveStatus.textContent = `收件箱有新消息，共 ${unread} 条未读`;
  },
  async account(status, frame) {
    const me = session.me;
    const mobileChanged = Boolean(me) && frame.mobile_bound !== undefined
      && (me.mobile_bound !== frame.mobile_bound || me.mobile !== frame.mobile);
    if (me && me.status === status && !mobileChanged) return;
    await refreshMe();
    if (session.kind !== 'account') return;
    if (!me || me.status !== session.me.status)
      liveStatus.textContent = `帐号状态已更新：${accountStatusName(session.me.status)}`;
    // The overview shows the mobile and has no form to lose: redraw it.
    else if (mobileChanged && location.pathname === '/account') render();
  },
  state(text) {
    document.documentElement.dataset.live = text;
  },
});

async function doLogout() {
  await logout();
  navigate('/login');
}

function frame() {
  renderTopbar(doLogout);
  renderBanner();
  if (session.kind === 'account') live.start();
  else live.stop();
}

onSessionChange(() => {
  frame();
  // Pages depend on who is logged in and the account's status; redraw the
  // page only when those changed, so a form being filled in is kept.
  if (started && accessKey() !== shownKey) render();
});
onUnreadChange(() => updateInboxCount());

api.onProblem((problem) => {
  if (problem.code === 'UNAUTHENTICATED' && session.kind !== 'anon') {
    forget();
    flash = '登录已失效，请重新登录';
    navigate(`/login?next=${encodeURIComponent(location.pathname)}`, { replace: true });
  } else if (problem.code === 'ACCOUNT_RESTRICTED' && session.me && session.me.status !== 'restricted') {
    refreshMe();
  } else if (problem.code === 'ACCOUNT_CANCELLED' && session.kind === 'account') {
    refreshMe();
  }
});

async function start() {
  await load();
  started = true;
  frame();
  render();
}

start();
