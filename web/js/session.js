// Who is using the page: nobody, a student (with GET /me), or a staff
// member. Pages read `session` and listen for changes (login, logout, a
// status pushed by the server).

import * as api from './api.js';

const STAFF_KEY = 'idclaim.staff';

/** The current user; `kind` is 'anon', 'account', 'staff' or 'cancelled'. */
export const session = {
  kind: 'anon',
  me: null, // GET /me for students
  staff: null, // {id, username, role} for staff
  cancelReason: '', // why, when the account was cancelled
  unread: null, // the inbox count, once known
};

const listeners = new Set();

/** Calls `fn()` whenever the session changes. */
export function onSessionChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function changed() {
  for (const fn of listeners) fn();
}

function rememberStaff(staff) {
  try {
    if (staff) sessionStorage.setItem(STAFF_KEY, JSON.stringify(staff));
    else sessionStorage.removeItem(STAFF_KEY);
  } catch {
    // Storage may be off (private mode); the probe below still works.
  }
}

function rememberedStaff() {
  try {
    return JSON.parse(sessionStorage.getItem(STAFF_KEY) || 'null');
  } catch {
    return null;
  }
}

function setAnon() {
  Object.assign(session, { kind: 'anon', me: null, staff: null, cancelReason: '', unread: null });
}

/**
 * Finds out who is logged in. GET /me answers students; a staff session
 * answers FORBIDDEN there, so the reviewer queue is probed to tell a
 * reviewer (the server has no "who am I" call for staff).
 */
export async function load() {
  const me = await api.get('/me');
  if (me.ok) {
    Object.assign(session, { kind: 'account', me: me.data, staff: null, cancelReason: '' });
  } else if (me.problem.code === 'ACCOUNT_CANCELLED') {
    Object.assign(session, { kind: 'cancelled', me: null, staff: null,
      cancelReason: me.problem.reason || me.problem.message });
  } else if (me.problem.code === 'FORBIDDEN') {
    const probe = await api.get('/admin/reviews?limit=1');
    const known = rememberedStaff() || {};
    const role = probe.ok ? 'reviewer' : 'operator';
    Object.assign(session, { kind: 'staff', me: null,
      staff: { ...known, role: known.role || role } });
  } else {
    setAnon();
    rememberStaff(null);
  }
  changed();
  return session;
}

/** Refreshes GET /me after the account changed (status, username…). */
export async function refreshMe() {
  if (session.kind !== 'account' && session.kind !== 'cancelled') return session;
  return load();
}

/** Logs in; resolves to the API result. */
export async function login(username, password) {
  const res = await api.post('/sessions', { username, password });
  if (!res.ok) return res;
  if (res.data.staff) {
    rememberStaff(res.data.staff);
    Object.assign(session, { kind: 'staff', me: null, staff: res.data.staff, unread: null });
    changed();
  } else {
    rememberStaff(null);
    await load();
  }
  return res;
}

/** Logs out (also when the server already forgot the session). */
export async function logout() {
  await api.del('/sessions/current');
  rememberStaff(null);
  setAnon();
  changed();
}

/** Marks the session as gone without asking the server (401 seen). */
export function forget() {
  if (session.kind === 'anon') return;
  rememberStaff(null);
  setAnon();
  changed();
}

const unreadListeners = new Set();

/** Calls `fn(n)` whenever the inbox count changes. */
export function onUnreadChange(fn) {
  unreadListeners.add(fn);
  return () => unreadListeners.delete(fn);
}

/** Sets the inbox count (from the live connection or the inbox list). */
export function setUnread(n) {
  if (session.unread === n) return;
  session.unread = n;
  for (const fn of unreadListeners) fn(n);
}

/** Where a staff member starts: the queue, or 运行状态 for an operator. */
export function staffHome(staff) {
  return staff && staff.role === 'operator' ? '/admin/status' : '/admin/reviews';
}

/** What decides which pages may be shown: who, and in which status. */
export function accessKey() {
  return `${session.kind}:${session.me ? session.me.status : ''}`;
}

export const isRestricted = () => session.kind === 'account' && session.me.status === 'restricted';
