// Login, the account page with the seed's sidebar, the account pages
// (修改用户名, 修改密码, 查看个人信息, 设置个人信息 with 实名绑定, 登录日志查询),
// refusals for a restricted account, and the pages at phone width.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  STAFF, assertClean, describedText, hasRoute, launch, open, people, register, shot, smsCode, token,
  uiLogin,
} from '../lib/harness.mjs';

const pool = people(4);
const SIDEBAR = ['修改用户名', '修改密码', '查看个人信息', '设置个人信息', '证件重复-客服审核',
  '证件重复-用户协助', '登录日志查询'];
let browser;
let student;
let restricted;
let routes = {};

before(async () => {
  browser = await launch();
  student = await register(pool.next());
  const holder = await register(pool.next());
  restricted = await register({ ...pool.next(), id: holder.id }, { acknowledge: true });
  const t = await token(student.username, student.password);
  routes = {
    personalInfo: await hasRoute('GET', '/me/personal-info', t),
    username: await hasRoute('PUT', '/me/username', t),
    password: await hasRoute('PUT', '/me/password', t),
    loginLog: await hasRoute('GET', '/me/login-log', t),
    binding: await hasRoute('POST', '/me/phone-binding/code', t),
    recovery: await hasRoute('POST', '/username-recovery/code'),
  };
});
after(async () => {
  await browser?.close();
});

const missing = (name, path) => `${path} is missing from this server (${name})`;

describe('login and the account page', () => {
  test('a wrong password is shown next to the password field', async () => {
    const page = await open(browser);
    await page.goto('/login');
    await shot(page, 'login');
    await page.getByLabel('用户名').fill(student.username);
    await page.getByLabel('密码').fill('Wrong1234pass');
    await page.getByRole('button', { name: '登录' }).click();
    const pw = page.getByLabel('密码');
    await page.locator('.field.has-error').waitFor();
    assert.equal(await pw.getAttribute('aria-invalid'), 'true');
    assert.match(await describedText(pw), /用户名或密码错误/);
    await shot(page, 'login-error');
    assertClean(page);
    await page.context().close();
  });

  test('login leads to the account page with the seed sidebar; 帐号 and 收件箱 are in the top bar', async () => {
    const page = await open(browser);
    await uiLogin(page, student.username, student.password);
    await page.waitForURL('**/account');
    const items = await page.getByRole('navigation', { name: '帐号功能' }).getByRole('link').allInnerTexts();
    assert.deepEqual(items, SIDEBAR);
    const top = page.getByRole('navigation', { name: '帐号导航' });
    assert.ok(await top.getByRole('link', { name: '帐号', exact: true }).isVisible());
    assert.ok(await top.getByRole('link', { name: /收件箱/ }).isVisible());
    assert.equal(await page.locator('#account-status').getAttribute('data-status'), 'active');
    await shot(page, 'account');
    // Every sidebar page opens (screenshots of each).
    for (const [i, label] of SIDEBAR.entries()) {
      await page.getByRole('navigation', { name: '帐号功能' }).getByRole('link', { name: label }).click();
      await page.locator(`.sidebar a[aria-current="page"]`).getByText(label).waitFor();
      await page.locator('main h1').waitFor();
      await shot(page, `account-sidebar-${i + 1}`);
    }
    await page.getByRole('link', { name: /收件箱/ }).click();
    await page.waitForURL('**/account/inbox');
    await page.locator('#inbox-summary, #inbox-empty').first().waitFor();
    await shot(page, 'inbox-empty');
    await page.getByRole('button', { name: '退出' }).click();
    await page.waitForURL('**/login');
    await page.goto('/account');
    await page.waitForURL(/\/login\?next=%2Faccount/);
    assertClean(page);
    await page.context().close();
  });

  test('查看个人信息 shows the owner their own full values', async (t) => {
    if (!routes.personalInfo) assert.fail(missing('查看个人信息', 'GET /api/v1/me/personal-info'));
    const page = await open(browser);
    await uiLogin(page, student.username, student.password);
    await page.goto('/account/info');
    const info = page.locator('#personal-info');
    await info.waitFor();
    const text = await info.innerText();
    assert.ok(text.includes(student.id), 'the full ID number');
    assert.ok(text.includes(student.mobile), 'the full mobile');
    await shot(page, 'account-info');
    assertClean(page);
    await page.context().close();
  });

  test('设置个人信息 binds the mobile with the SMS code (实名绑定)', async (t) => {
    if (!routes.binding) assert.fail(missing('实名绑定', 'POST /api/v1/me/phone-binding/code'));
    const page = await open(browser);
    await uiLogin(page, student.username, student.password);
    await page.goto('/account/settings');
    const section = page.locator('#phone-binding');
    await section.getByRole('button', { name: '获取短信验证码' }).click();
    await section.locator('.form-success').waitFor();
    const code = smsCode(student.mobile);
    assert.ok(code, 'a code in the outbox');
    await section.getByLabel('短信验证码').fill(code);
    await section.getByRole('button', { name: '绑定' }).click();
    await page.locator('#binding-state').getByText('已成功完成手机实名绑定').waitFor();
    await shot(page, 'account-settings-bound');
    assertClean(page);
    await page.context().close();
  });

  test('修改用户名 and 修改密码, with the errors next to their fields', async (t) => {
    if (!routes.username || !routes.password) assert.fail(missing('修改用户名/修改密码', 'PUT /api/v1/me/username, /me/password'));
    const p = await register(pool.next());
    const page = await open(browser);
    await uiLogin(page, p.username, p.password);
    await page.goto('/account/username');
    await page.getByLabel('新用户名').fill(`${p.username}new`);
    await page.getByLabel('当前密码').fill('Wrong999pass');
    await page.getByRole('button', { name: '确定' }).click();
    await page.locator('.field.has-error, .form-alert:not([hidden])').first().waitFor();
    await shot(page, 'account-username-error');
    await page.getByLabel('当前密码').fill(p.password);
    await page.getByRole('button', { name: '确定' }).click();
    await page.locator('.form-success').waitFor();
    await page.locator('.topnav-user').getByText(`${p.username}new`).waitFor();
    await shot(page, 'account-username-done');

    await page.goto('/account/password');
    await page.getByLabel('原密码').fill(p.password);
    await page.getByLabel('新密码', { exact: true }).fill('Newpass2024x');
    await page.getByLabel('确认新密码').fill('Newpass2024y');
    await page.getByRole('button', { name: '确定' }).click();
    assert.equal(await page.getByLabel('确认新密码').getAttribute('aria-invalid'), 'true');
    await page.getByLabel('确认新密码').fill('Newpass2024x');
    await page.getByRole('button', { name: '确定' }).click();
    await page.locator('.form-success').waitFor();
    await shot(page, 'account-password-done');
    await token(`${p.username}new`, 'Newpass2024x');
    assertClean(page);
    await page.context().close();
  });

  test('登录日志查询 lists the logins with time, IP, client and result', async (t) => {
    if (!routes.loginLog) assert.fail(missing('登录日志查询', 'GET /api/v1/me/login-log'));
    const page = await open(browser);
    await uiLogin(page, student.username, student.password);
    await page.goto('/account/login-log');
    const rows = page.locator('#login-log tbody tr');
    await rows.first().waitFor();
    const cells = await rows.first().locator('td').allInnerTexts();
    assert.match(cells[0], /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    assert.match(cells[1], /127\.0\.0\.1/);
    assert.match(cells[3], /成功|失败/);
    await shot(page, 'account-login-log');
    assertClean(page);
    await page.context().close();
  });

  test('找回用户名 with the SMS code to the bound mobile', async (t) => {
    if (!routes.recovery || !routes.binding) assert.fail(missing('找回用户名', 'POST /api/v1/username-recovery/code'));
    const p = await register(pool.next());
    const page = await open(browser);
    await uiLogin(page, p.username, p.password);
    await page.goto('/account/settings');
    await page.locator('#phone-binding').getByRole('button', { name: '获取短信验证码' }).click();
    await page.locator('#phone-binding .form-success').waitFor();
    await page.locator('#phone-binding').getByLabel('短信验证码').fill(smsCode(p.mobile));
    await page.locator('#phone-binding').getByRole('button', { name: '绑定' }).click();
    await page.locator('#binding-state').getByText('已成功完成手机实名绑定').waitFor();
    await page.getByRole('button', { name: '退出' }).click();
    await page.waitForURL('**/login');
    await page.getByRole('link', { name: '【找回用户名】' }).click();
    await page.waitForURL('**/recover-username');
    await page.getByLabel('证件号码', { exact: true }).fill(p.id);
    await page.getByLabel('姓名').fill(p.name);
    await page.getByRole('button', { name: '获取短信验证码' }).click();
    await page.locator('.recover-form .form-success').waitFor();
    await page.getByLabel('短信验证码').fill(smsCode(p.mobile));
    await page.getByRole('button', { name: '找回用户名' }).click();
    await page.locator('.username-list li').first().waitFor();
    assert.match(await page.locator('.username-list').innerText(), new RegExp(`^${p.username.slice(0, 2)}`));
    await shot(page, 'recover-username');
    assertClean(page);
    await page.context().close();
  });
});

describe('a restricted account', () => {
  test('pages it cannot use say why and where to go', async () => {
    const page = await open(browser);
    await uiLogin(page, restricted.username, restricted.password);
    await page.goto('/account');
    await page.locator('#banner').getByText('只有待客服审核通过之后才能进行其他的操作').waitFor();
    assert.ok(await page.locator('#banner').getByRole('link', { name: '证件重复-客服审核' }).isVisible());
    assert.ok(await page.locator('#banner').getByRole('link', { name: '证件重复-用户协助' }).isVisible());
    await shot(page, 'restricted-account');
    for (const [path, name] of [['/account/username', '修改用户名'], ['/account/password', '修改密码'],
      ['/account/settings', '设置个人信息'], ['/account/login-log', '登录日志查询'], ['/account/inbox', '收件箱']]) {
      await page.goto(path);
      const refusal = page.locator('#restricted-refusal');
      await refusal.waitFor();
      const text = await refusal.innerText();
      assert.match(text, new RegExp(`暂时不能使用“${name}”`));
      assert.match(text, /只有待客服审核通过之后才能进行其他的操作/);
      assert.equal(await refusal.getByRole('link', { name: '证件重复-用户协助' }).getAttribute('href'), '/account/assist');
      assert.equal(await refusal.getByRole('link', { name: '证件重复-客服审核' }).getAttribute('href'), '/account/review');
      await shot(page, `restricted-refusal-${path.split('/').pop()}`);
    }
    // The refusal link leads on.
    await page.locator('#restricted-refusal').getByRole('link', { name: '证件重复-用户协助' }).click();
    await page.waitForURL('**/account/assist');
    // A student on a reviewer page is sent back to the account.
    await page.goto('/admin/reviews');
    await page.waitForURL('**/account');
    assertClean(page);
    await page.context().close();
  });
});

describe('phone width (360 px)', () => {
  test('the pages fit a phone screen without sideways scrolling', async () => {
    const page = await open(browser, { width: 360, height: 740, mobile: true });
    const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    await page.goto('/register');
    await page.locator('h1').waitFor();
    assert.ok(await fits(), 'register');
    await shot(page, 'phone-register');
    await page.goto('/help/id-duplicate');
    await page.locator('h1').waitFor();
    assert.ok(await fits(), 'help');
    await shot(page, 'phone-help');
    await uiLogin(page, restricted.username, restricted.password);
    for (const [path, name] of [['/account', 'phone-account'], ['/account/assist', 'phone-assist'],
      ['/account/review', 'phone-review']]) {
      await page.goto(path);
      await page.locator('main h1').waitFor();
      assert.ok(await fits(), path);
      await shot(page, name);
    }
    // Touch targets of the sidebar stay large enough.
    const height = await page.locator('.sidebar a').first().evaluate((el) => el.getBoundingClientRect().height);
    assert.ok(height >= 36, `sidebar link height ${height}`);
    // The staff pages too (the reviewer's queue; 运行状态).
    await page.context().clearCookies();
    for (const [who, path, name] of [[STAFF.reviewer, '/admin/reviews', 'phone-queue'],
      [STAFF.operator, '/admin/status', 'phone-status']]) {
      await uiLogin(page, who.username, who.password, /\/admin\//);
      await page.goto(path);
      await page.locator('main h1').waitFor();
      assert.ok(await fits(), path);
      await shot(page, name);
      await page.context().clearCookies();
    }
    assertClean(page);
    await page.context().close();
  });
});
