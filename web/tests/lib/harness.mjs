// What every spec shares: the running server (started by run.sh), API calls
// for seeding, Debian's Chromium through playwright-core, and screenshots.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

export const BASE_URL = process.env.IDCLAIM_URL;
export const DATA_DIR = process.env.IDCLAIM_DATA_DIR;
export const ARTIFACTS = process.env.IDCLAIM_ARTIFACTS || join(import.meta.dirname, '..', 'artifacts');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

if (!BASE_URL || !DATA_DIR) {
  throw new Error('IDCLAIM_URL and IDCLAIM_DATA_DIR are not set: run the specs through web/tests/run.sh');
}
mkdirSync(ARTIFACTS, { recursive: true });

export const STAFF = {
  reviewer: { username: 'reviewer01', password: process.env.IDCLAIM_REVIEWER_PASSWORD },
  operator: { username: 'operator01', password: process.env.IDCLAIM_OPERATOR_PASSWORD },
};

// -- the API, for seeding ---------------------------------------------------------

/** Calls the API with a bearer token (no CSRF header needed). */
export async function api(method, path, { body, token, raw, type } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  let payload;
  if (raw !== undefined) {
    payload = raw;
    headers['Content-Type'] = type;
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(`${BASE_URL}/api/v1${path}`, { method, headers, body: payload });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, body: json };
}

/** Whether the server serves `method path` at all (not a 404/405 route miss). */
export async function hasRoute(method, path, token) {
  const res = await api(method, path, { token, body: method === 'GET' ? undefined : {} });
  return !(res.status === 404 && res.body && res.body.error && res.body.error.code === 'NOT_FOUND')
    && res.status !== 405;
}

const NAMES = ['张伟', '王芳', '李娜', '刘洋', '陈静', '杨帆', '赵磊', '黄丽', '周杰', '吴敏',
  '徐强', '孙悦', '胡军', '朱琳', '高翔', '林燕', '何勇', '郭佳', '马超', '罗红'];

/** The GB 11643-1999 check character of the first 17 digits. */
export function checkChar(first17) {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((acc, d, i) => acc + Number(d) * weights[i], 0);
  return '10X98765432'[sum % 11];
}

/**
 * Numbers, names and usernames that no other spec uses: each spec passes
 * its own `base` (a small integer), so the specs can share one server.
 */
export function people(base) {
  let n = 0;
  return {
    next() {
      n += 1;
      const k = base * 100 + n;
      const month = String(1 + (k % 12)).padStart(2, '0');
      const day = String(1 + (Math.floor(k / 12) % 28)).padStart(2, '0');
      const seq = String(k % 1000).padStart(3, '0');
      const first17 = `110101${2000 + (base % 6)}${month}${day}${seq}`;
      return {
        username: `u${base}x${n}${'abcdefgh'[n % 8]}stu`,
        password: `Pw${k}secret9`,
        name: NAMES[k % NAMES.length] + NAMES[(k * 7 + 3) % NAMES.length].slice(1),
        id: first17 + checkChar(first17),
        mobile: `139${String(k).padStart(8, '0')}`,
      };
    },
  };
}

/** Registers `p` through the API; `acknowledge` for a held number. */
export async function register(p, { acknowledge = false } = {}) {
  const res = await api('POST', '/accounts', {
    body: {
      username: p.username, password: p.password, name: p.name, id_type: 'resident',
      id_number: p.id, mobile: p.mobile, acknowledge_duplicate: acknowledge,
    },
  });
  assert.equal(res.status, 201, `register ${p.username}: ${JSON.stringify(res.body)}`);
  p.accountId = res.body.account.id;
  p.status = res.body.account.status;
  return p;
}

/** Logs in through the API and returns the token. */
export async function token(username, password) {
  const res = await api('POST', '/sessions', { body: { username, password } });
  assert.equal(res.status, 200, `login ${username}: ${JSON.stringify(res.body)}`);
  return res.body.token;
}

let operatorToken = null;
/** Imports student records (id_number, name, class) through the operator API. */
export async function importRecords(rows, school = '北京大学', year = 2021) {
  operatorToken = operatorToken || await token(STAFF.operator.username, STAFF.operator.password);
  const csv = ['id_type,id_number,name,school,class,enrolment_year',
    ...rows.map((r) => `resident,${r.id},${r.name},${school},${r.className},${year}`)].join('\n');
  const res = await api('POST', '/admin/student-records', { token: operatorToken, raw: csv, type: 'text/csv' });
  assert.equal(res.status, 200, `import: ${JSON.stringify(res.body)}`);
  assert.deepEqual(res.body.rejected, [], 'every record row is accepted');
}

/** The newest SMS code sent to `mobile`, from the embedded gateway's outbox. */
export function smsCode(mobile) {
  const path = join(DATA_DIR, 'sms-outbox.jsonl');
  if (!existsSync(path)) return null;
  const lines = readFileSync(path, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const mine = lines.filter((m) => m.to === mobile || m.to.endsWith(mobile));
  return mine.length ? mine[mine.length - 1].code : null;
}

/** Runs SQL on the server's SQLite file (test set-up the API cannot do). */
export function sql(statement) {
  execFileSync('sqlite3', ['-cmd', '.timeout 5000', join(DATA_DIR, 'idclaim.sqlite3'), statement]);
}

/**
 * Completes 实名绑定 for `p`'s mobile: through the API and the SMS outbox
 * when the server has it, else (until that lands) straight in SQLite.
 * Returns 'api' or 'sql', the way it was done.
 */
export async function bindPhone(p) {
  const t = await token(p.username, p.password);
  const sent = await api('POST', '/me/phone-binding/code', { token: t, body: { mobile: p.mobile } });
  if (sent.status === 404 || sent.status === 405) {
    sql(`UPDATE accounts SET mobile_bound = 1 WHERE username = '${p.username}'`);
    return 'sql';
  }
  assert.ok(sent.status < 300, `binding code: ${JSON.stringify(sent.body)}`);
  const code = smsCode(p.mobile);
  assert.ok(code, 'the binding code is in the SMS outbox');
  const bound = await api('POST', '/me/phone-binding', { token: t, body: { mobile: p.mobile, code } });
  assert.ok(bound.status < 300, `binding: ${JSON.stringify(bound.body)}`);
  return 'api';
}

/** Sets the holder flags that make the review warning the strong one. */
export function setRegistrations(p, military, gradExam) {
  sql(`UPDATE accounts SET military_registered = ${military ? 1 : 0}, grad_exam_registered = ${gradExam ? 1 : 0} WHERE username = '${p.username}'`);
}

// -- the browser ---------------------------------------------------------------------

/** Launches Debian's Chromium headless, off the network, with a fresh profile. */
export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
      '--disable-dev-shm-usage', '--lang=zh-CN',
    ],
  });
}

/**
 * A new browser context (its own cookies) and page on the server, with
 * uncaught script errors and CSP violations collected in `page.problems`.
 */
export async function open(browser, { width = 1200, height = 900, mobile = false } = {}) {
  const context = await browser.newContext({
    baseURL: BASE_URL,
    viewport: { width, height },
    deviceScaleFactor: 1,
    isMobile: mobile,
    hasTouch: mobile,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  context.setDefaultTimeout(10000);
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (err) => page.problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy|SyntaxError|TypeError|ReferenceError/.test(msg.text()))
      page.problems.push(`console: ${msg.text()}`);
  });
  return page;
}

/** Fails when the page had a script error or a CSP violation. */
export function assertClean(page) {
  assert.deepEqual(page.problems, [], 'no script errors or CSP violations');
}

/** Saves a full-page screenshot as artifacts/<name>.png. */
export async function shot(page, name) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Logs in through the UI's form and waits for the page after it. */
export async function uiLogin(page, username, password, after = /\/(account|admin)/) {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(after);
}

/** The text of the describedby targets of a field (its hint and error). */
export async function describedText(locator) {
  return locator.evaluate((el) => (el.getAttribute('aria-describedby') || '')
    .split(/\s+/).filter(Boolean).map((id) => document.getElementById(id)?.textContent || '').join(' '));
}
