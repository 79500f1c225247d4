// What a newcomer sees with the demo data (`idclaim demo`, run by run.sh):
// each demo login reaches its pages with real content, and every page is
// photographed with that content.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { assertClean, launch, open, shot, uiLogin } from '../lib/harness.mjs';

const PASSWORD = 'Demo2024pass';
let browser;

before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Visits each path as the logged-in page and saves demo-<name>.png. */
async function tour(page, stops) {
  for (const [path, name] of stops) {
    await page.goto(path);
    await page.locator('h1').first().waitFor();
    await page.waitForLoadState('networkidle');
    await shot(page, `demo-${name}`);
  }
}

describe('the demo data set', () => {
  test('the holder: active, phone bound, every account page', async () => {
    const page = await open(browser);
    await uiLogin(page, 'demo_holder', PASSWORD);
    await page.goto('/account');
    assert.equal(await page.locator('#account-status').getAttribute('data-status'), 'active');
    await tour(page, [
      ['/account', 'holder-account'], ['/account/username', 'holder-username'],
      ['/account/password', 'holder-password'], ['/account/info', 'holder-info'],
      ['/account/settings', 'holder-settings'], ['/account/login-log', 'holder-login-log'],
      ['/account/inbox', 'holder-inbox'],
    ]);
    assertClean(page);
    await page.context().close();
  });

  test('the claimant: restricted, its review case open', async () => {
    const page = await open(browser);
    await uiLogin(page, 'demo_claimant', PASSWORD);
    await page.goto('/account/review');
    await page.locator('#banner .banner').waitFor();
    assert.match(await page.locator('main').innerText(), /待客服审核/);
    await shot(page, 'demo-claimant-review');
    await page.goto('/account/username');
    await page.locator('#restricted-refusal').waitFor();
    await shot(page, 'demo-claimant-refused');
    assertClean(page);
    await page.context().close();
  });

  test('the asker: its request waits for the classmate', async () => {
    const page = await open(browser);
    await uiLogin(page, 'demo_asker', PASSWORD);
    await page.goto('/account/assist');
    await page.locator('#assist-sent tr[data-state="pending"]').waitFor();
    await shot(page, 'demo-asker-assist');
    assertClean(page);
    await page.context().close();
  });

  test('the classmate: 收件箱(1) and the request in it', async () => {
    const page = await open(browser);
    await uiLogin(page, 'demo_classmate', PASSWORD);
    await page.locator('#nav-inbox').getByText('收件箱(1)').waitFor();
    await shot(page, 'demo-classmate-account');
    await page.goto('/account/inbox');
    await page.locator('#inbox-table').waitFor();
    await shot(page, 'demo-classmate-inbox');
    assertClean(page);
    await page.context().close();
  });

  test('the reviewer: the case in the queue; the operator: 运行状态', async () => {
    const reviewer = await open(browser);
    await uiLogin(reviewer, 'demo_reviewer', PASSWORD, /\/admin\/reviews/);
    const row = reviewer.locator('#queue-table tbody tr').filter({ hasText: 'demo_claimant' });
    await row.waitFor();
    await shot(reviewer, 'demo-reviewer-queue');
    await row.getByRole('link', { name: /处理/ }).click();
    await reviewer.locator('#case-facts').waitFor();
    await shot(reviewer, 'demo-reviewer-case');
    assertClean(reviewer);
    await reviewer.context().close();

    const operator = await open(browser);
    await uiLogin(operator, 'demo_operator', PASSWORD, /\/admin\/status/);
    await operator.locator('#status-updated[data-readings]').waitFor();
    await shot(operator, 'demo-operator-status');
    assertClean(operator);
    await operator.context().close();
  });

  test('the public pages', async () => {
    const page = await open(browser);
    await tour(page, [
      ['/', 'home'], ['/register', 'register'], ['/login', 'login'],
      ['/help/id-duplicate', 'help'], ['/recover-username', 'recover-username'],
    ]);
    assertClean(page);
    await page.context().close();
  });
});
