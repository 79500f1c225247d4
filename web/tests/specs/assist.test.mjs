// Classmate assist across two browser contexts: the requester sends from the
// assist page (quota text), the classmate's open page shows 收件箱(1) without
// a reload, the inbox detail view, approval, and the requester's page
// showing the new status live (the `account` event, no navigation).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  api, assertClean, bindPhone, hasRoute, importRecords, launch, open, people, register, shot,
  token, uiLogin,
} from '../lib/harness.mjs';

const pool = people(2);
let browser;
let cast; // holder, requester (restricted on the holder's number), classmate
let liveEvents = false;

before(async () => {
  browser = await launch();
  const holder = await register(pool.next());
  const requester = await register({ ...pool.next(), id: holder.id }, { acknowledge: true });
  const classmate = await register(pool.next());
  await bindPhone(classmate);
  await importRecords([
    { id: requester.id, name: requester.name, className: '计算机2101班' },
    { id: classmate.id, name: classmate.name, className: '计算机2101班' },
  ]);
  cast = { holder, requester, classmate };
  liveEvents = await hasRoute('GET', '/events', await token(classmate.username, classmate.password));
});
after(async () => {
  await browser?.close();
});

describe('classmate assist', () => {
  test('the assist page has the seed fields, notes and the quota left today', async (t) => {
    const page = await open(browser);
    await uiLogin(page, cast.requester.username, cast.requester.password);
    await page.goto('/account/assist');
    await page.getByRole('heading', { name: /请求同学协助完成证件号码重复审核/ }).waitFor();
    const quota = page.locator('#assist-quota');
    assert.match(await quota.innerText(), /注：每天可发送协助请求5条/);
    assert.match(await quota.innerText(), /今天还可以发送 5 条/);
    for (const label of ['同学姓名', '同学手机号', '自己的手机号'])
      assert.ok(await page.getByLabel(label, { exact: true }).isVisible(), label);
    const main = await page.locator('main').innerText();
    assert.match(main, /\(已成功完成手机实名绑定的大学同班同学的姓名\)/);
    assert.match(main, /\(填写后同学可以查看到\)/);
    assert.ok(await page.getByRole('button', { name: '确定' }).isVisible());
    await shot(page, 'assist-page');

    // A mismatch counts and says so at the form, without naming a field.
    await page.getByLabel('同学姓名', { exact: true }).fill('不存在');
    await page.getByLabel('同学手机号', { exact: true }).fill('13700000001');
    await page.getByLabel('自己的手机号', { exact: true }).fill(cast.requester.mobile);
    await page.getByRole('button', { name: '确定' }).click();
    await page.locator('.form-alert').getByText('未找到符合条件的同学').waitFor();
    await quota.getByText('今天还可以发送 4 条').waitFor();
    await shot(page, 'assist-no-match');
    assertClean(page);
    await page.context().close();
    void t;
  });

  test('收件箱(1) appears on the classmate page without reload, then detail, approval and live status', async (t) => {
    assert.ok(liveEvents, 'GET /api/v1/events (WebSocket) must be served');
    const classmatePage = await open(browser);
    await uiLogin(classmatePage, cast.classmate.username, cast.classmate.password);
    await classmatePage.goto('/account');
    const badge = classmatePage.locator('#nav-inbox');
    await badge.getByText('收件箱(0)').waitFor();
    await shot(classmatePage, 'classmate-account-inbox-0');
    const loadsBefore = await classmatePage.evaluate(() => performance.getEntriesByType('navigation').length);
    const marker = await classmatePage.evaluate(() => {
      window.__noReload = Math.random();
      return window.__noReload;
    });

    const requesterPage = await open(browser);
    await uiLogin(requesterPage, cast.requester.username, cast.requester.password);
    await requesterPage.goto('/account/assist');
    await requesterPage.getByLabel('同学姓名', { exact: true }).fill(cast.classmate.name);
    await requesterPage.getByLabel('同学手机号', { exact: true }).fill(cast.classmate.mobile);
    await requesterPage.getByLabel('自己的手机号', { exact: true }).fill(cast.requester.mobile);
    await requesterPage.getByRole('button', { name: '确定' }).click();
    await requesterPage.locator('.form-success').getByText('协助请求已发送').waitFor();
    await requesterPage.locator('#assist-sent tr[data-state="pending"]').waitFor();
    await shot(requesterPage, 'assist-sent');

    // The classmate's page was not reloaded: the same window object shows it.
    await badge.getByText('收件箱(1)').waitFor({ timeout: 5000 });
    assert.equal(await classmatePage.evaluate(() => window.__noReload), marker);
    assert.equal(await classmatePage.evaluate(() => performance.getEntriesByType('navigation').length), loadsBefore);
    await shot(classmatePage, 'classmate-inbox-1-live');

    // 帐号 → 收件箱(1) → the request → the seed's detail view.
    await classmatePage.getByRole('link', { name: '帐号', exact: true }).click();
    await classmatePage.waitForURL('**/account');
    await badge.click();
    await classmatePage.waitForURL('**/account/inbox');
    await classmatePage.locator('#inbox-table').waitFor();
    await shot(classmatePage, 'inbox-list');
    await classmatePage.locator('#inbox-table').getByRole('link', { name: /查看/ }).first().click();
    await classmatePage.waitForURL(/\/account\/inbox\/\d+$/);
    const detail = classmatePage.locator('#assist-detail');
    await classmatePage.getByRole('heading', { name: '证件号码重复审核处理结果明细' }).waitFor();
    const text = await detail.innerText();
    for (const label of ['请求发送时间', '请求处理时间', '求助者', '处理结果']) assert.match(text, new RegExp(label));
    assert.match(text, new RegExp(`${cast.requester.name[0]}\\*`), 'the requester name is masked');
    assert.ok(!text.includes(cast.requester.name), 'never the full name');
    assert.match(text, /\d{4}-\d{2}-\d{2} \d{2}:\d{2}/, 'the send time as the seed shows it');
    assert.ok(await classmatePage.getByRole('link', { name: '【返回】' }).isVisible());
    // Opening it marked it read: the count goes back to 0, live.
    await badge.getByText('收件箱(0)').waitFor();
    await shot(classmatePage, 'inbox-detail-pending');

    await classmatePage.getByRole('button', { name: '同意协助' }).click();
    await detail.locator('#assist-result').getByText('证件重复协助审核通过').waitFor();
    assert.doesNotMatch(await detail.locator('[data-key="processed_at"] dd').innerText(), /尚未处理/);
    await shot(classmatePage, 'inbox-detail-approved');

    // The requester's open page shows the new status without navigation:
    // the banner goes and the assist page says no review is needed.
    await requesterPage.locator('#assist-not-needed').waitFor({ timeout: 5000 });
    assert.equal(await requesterPage.locator('#banner .banner').count(), 0);
    await shot(requesterPage, 'requester-after-approval-live');
    await requesterPage.getByRole('link', { name: '帐号', exact: true }).click();
    assert.equal(await requesterPage.locator('#account-status').getAttribute('data-status'), 'active');
    await shot(requesterPage, 'requester-account-active');

    // The holder's account was cancelled by the approval.
    const login = await api('POST', '/sessions', { body: { username: cast.holder.username, password: cast.holder.password } });
    assert.equal(login.body.error.code, 'ACCOUNT_CANCELLED');

    await classmatePage.getByRole('link', { name: '【返回】' }).click();
    await classmatePage.waitForURL('**/account/inbox');
    assertClean(classmatePage);
    assertClean(requesterPage);
    await classmatePage.context().close();
    await requesterPage.context().close();
  });

  test('the live connection comes back after a drop with the current count', async (t) => {
    assert.ok(liveEvents, 'GET /api/v1/events (WebSocket) must be served');
    const page = await open(browser);
    await uiLogin(page, cast.classmate.username, cast.classmate.password);
    await page.goto('/account');
    await page.waitForFunction(() => document.documentElement.dataset.live === 'open');
    // Drop the network; the page notices and retries with backoff.
    await page.context().setOffline(true);
    await page.evaluate(() => window.dispatchEvent(new Event('offline')));
    await page.context().setOffline(false);
    await page.waitForFunction(() => document.documentElement.dataset.live === 'open', null, { timeout: 8000 });
    assert.match(await page.locator('#nav-inbox').innerText(), /收件箱\(\d+\)/);
    assertClean(page);
    await page.context().close();
  });
});
