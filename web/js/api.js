// The JSON API client. Every call goes to the same origin with the session
// cookie; state-changing calls carry the CSRF marker API.md asks for.

const BASE = '/api/v1';

/** What a failed call says when the server could not be reached at all. */
const NETWORK_PROBLEM = {
  code: 'NETWORK',
  message: '无法连接服务器，请检查网络后重试',
  field: null,
};

/**
 * Calls the API. `body` is a plain object (sent as JSON), a FormData
 * (multipart) or undefined. Never throws: resolves to
 * `{ok, status, data, problem}` where `problem` is the server's
 * `{code, message, field}` (plus any extra top-level keys of the error
 * body, such as `hints` or `reason`) when `ok` is false.
 */
export async function call(method, path, body) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin' };
  if (method !== 'GET' && method !== 'HEAD') headers['X-Requested-With'] = 'idclaim';
  if (body instanceof FormData) {
    init.body = body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(BASE + path, init);
  } catch {
    return { ok: false, status: 0, data: null, problem: NETWORK_PROBLEM };
  }
  let data = null;
  const type = res.headers.get('Content-Type') || '';
  if (type.includes('application/json')) {
    try {
      data = await res.json();
    } catch {
      data = null;
    }
  }
  if (res.ok) return { ok: true, status: res.status, data, problem: null };
  const problem = data && data.error
    ? { ...data, ...data.error }
    : { code: 'HTTP_' + res.status, message: `请求失败（${res.status}）`, field: null };
  delete problem.error;
  notifyProblem(problem);
  return { ok: false, status: res.status, data, problem };
}

export const get = (path) => call('GET', path);
export const post = (path, body = {}) => call('POST', path, body);
export const put = (path, body = {}) => call('PUT', path, body);
export const del = (path) => call('DELETE', path);

const listeners = new Set();

/**
 * Registers `fn(problem)` for every failed call, so the app can react to
 * a session that ended (UNAUTHENTICATED) or an account that changed
 * (ACCOUNT_RESTRICTED, ACCOUNT_CANCELLED) wherever it happens.
 */
export function onProblem(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function notifyProblem(problem) {
  for (const fn of listeners) fn(problem);
}
