// Registration: the live ID check for a free, a held (case 2) and an
// under-review (case 1) number, the seed's messages and links, the help
// page, field errors from the API, and registration by keyboard only.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  api, assertClean, describedText, launch, open, people, register, shot, token,
} from '../lib/harness.mjs';
import { cardPhoto } from '../lib/images.mjs';

const pool = people(1);
let browser;

before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Fills the registration form except the ID number. */
async function fillBasics(page, p) {
  await page.getByLabel('用户名').fill(p.username);
  await page.getByLabel('密码', { exact: true }).fill(p.password);
  await page.getByLabel('确认密码').fill(p.password);
  await page.getByLabel('姓名').fill(p.name);
  await page.getByLabel('手机号码').fill(p.mobile);
}

describe('registration', () => {
  test('a free number: the live check says so and registration gives an active account', async () => {
    const page = await open(browser);
    const p = pool.next();
    await page.goto('/register');
    await shot(page, 'register-empty');
    await fillBasics(page, p);
    await page.getByLabel('证件号码', { exact: true }).fill(p.id);
    const check = page.locator('#id-check');
    await assert.doesNotReject(check.getByText('该证件号码可以注册').waitFor());
    assert.equal(await check.getAttribute('data-state'), 'free');
    // The check is tied to the field for screen readers.
    assert.match(await describedText(page.getByLabel('证件号码', { exact: true })), /该证件号码可以注册/);
    await shot(page, 'register-free');
    await page.getByRole('button', { name: '完成注册' }).click();
    await page.waitForURL('**/account');
    assert.equal(await page.locator('#account-status').getAttribute('data-status'), 'active');
    assert.equal(await page.locator('#banner .banner').count(), 0, 'no restriction banner');
    assertClean(page);
    await page.context().close();
  });

  test('a held number (case 2): the seed message with 【解决方法】, 找回用户名 and login, then a restricted account', async () => {
    const holder = await register(pool.next());
    const page = await open(browser);
    const p = { ...pool.next(), id: holder.id };
    await page.goto('/register');
    await fillBasics(page, p);
    await page.getByLabel('证件号码', { exact: true }).fill(p.id);
    const check = page.locator('#id-check');
    await check.getByText('证件号码已被注册，查看').waitFor();
    assert.equal(await check.getAttribute('data-state'), 'registered');
    assert.equal(await check.getByRole('link', { name: '【解决方法】' }).getAttribute('href'), '/help/id-duplicate');
    assert.equal(await check.getByRole('link', { name: '【找回用户名】' }).getAttribute('href'), '/recover-username');
    assert.equal(await check.getByRole('link', { name: '【登录】' }).getAttribute('href'), '/login');
    const ack = page.getByLabel('本人的确未使用此证件号码注册过帐号，继续注册');
    assert.ok(await ack.isVisible(), 'the acknowledgement appears');
    await shot(page, 'register-held-case2');

    // Without the acknowledgement the server refuses; the error is next to it.
    await page.getByRole('button', { name: '完成注册' }).click();
    await page.locator('.field.has-error').first().waitFor();
    assert.equal(await ack.getAttribute('aria-invalid'), 'true');
    assert.match(await describedText(ack), /请确认本人的确未使用此证件号码注册过帐号/);
    await shot(page, 'register-held-needs-ack');

    await ack.check();
    await page.getByRole('button', { name: '完成注册' }).click();
    await page.waitForURL('**/account/review');
    await page.locator('#banner').getByText('只有待客服审核通过之后才能进行其他的操作').waitFor();
    const me = await api('GET', '/me', { token: await token(p.username, p.password) });
    assert.equal(me.body.status, 'restricted');
    assertClean(page);
    await page.context().close();
  });

  test('the 【解决方法】 page explains both cases in the seed words', async () => {
    const page = await open(browser);
    await page.goto('/register');
    const holder = await register(pool.next());
    await page.getByLabel('证件号码', { exact: true }).fill(holder.id);
    await page.locator('#id-check').getByRole('link', { name: '【解决方法】' }).click();
    await page.waitForURL('**/help/id-duplicate');
    await page.getByRole('heading', { name: '情况一：证件号码等待客服审核' }).waitFor();
    await page.getByRole('heading', { name: '情况二：证件号码已被注册' }).waitFor();
    const text = await page.locator('main').innerText();
    assert.match(text, /证件号码已经被注册，客服审核通过后才能被再次注册/);
    assert.match(text, /证件号码已被注册，查看【解决方法】/);
    assert.match(text, /将会暂时有影响，请慎重此操作/);
    assert.match(text, /图片大小不超过300K/);
    await shot(page, 'help-id-duplicate');
    assertClean(page);
    await page.context().close();
  });

  test('a number under review (case 1): the seed message and no registration', async () => {
    const holder = await register(pool.next());
    const claimant = await register({ ...pool.next(), id: holder.id }, { acknowledge: true });
    const t = await token(claimant.username, claimant.password);
    const form = new FormData();
    form.append('front', new Blob([cardPhoto([230, 200, 120])], { type: 'image/png' }), 'front.png');
    form.append('back', new Blob([cardPhoto([120, 160, 230])], { type: 'image/png' }), 'back.png');
    const opened = await fetch(`${process.env.IDCLAIM_URL}/api/v1/reviews`, {
      method: 'POST', headers: { Authorization: `Bearer ${t}` }, body: form,
    });
    assert.equal(opened.status, 201);

    const page = await open(browser);
    const p = { ...pool.next(), id: holder.id };
    await page.goto('/register');
    await fillBasics(page, p);
    await page.getByLabel('证件号码', { exact: true }).fill(p.id);
    const check = page.locator('#id-check');
    await check.getByText('证件号码已经被注册，客服审核通过后才能被再次注册').waitFor();
    assert.equal(await check.getAttribute('data-state'), 'under_review');
    assert.ok(await check.getByRole('link', { name: '【找回用户名】' }).isVisible());
    assert.ok(await check.getByRole('link', { name: '【登录】' }).isVisible());
    assert.equal(await page.getByLabel('证件号码', { exact: true }).getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByLabel('本人的确未使用此证件号码注册过帐号，继续注册').isVisible(), false);
    await shot(page, 'register-under-review-case1');
    await page.getByRole('button', { name: '完成注册' }).click();
    await check.getByText('证件号码已经被注册，客服审核通过后才能被再次注册').waitFor();
    assert.match(page.url(), /\/register$/);
    assertClean(page);
    await page.context().close();
  });

  test('field errors from the API are shown next to the field they name', async () => {
    const page = await open(browser);
    const p = pool.next();
    await page.goto('/register');
    await fillBasics(page, p);
    await page.getByLabel('证件号码', { exact: true }).fill('11010120000101001');
    await page.getByLabel('证件号码', { exact: true }).press('Tab');
    const idInput = page.getByLabel('证件号码', { exact: true });
    await page.locator('.field.has-error').first().waitFor();
    assert.equal(await idInput.getAttribute('aria-invalid'), 'true');
    assert.match(await describedText(idInput), /证件号码|长度|位/);
    await page.getByLabel('证件号码', { exact: true }).fill(p.id);
    await page.getByLabel('用户名').fill('1bad');
    await page.getByRole('button', { name: '完成注册' }).click();
    const user = page.getByLabel('用户名');
    await page.waitForFunction(() => document.activeElement?.getAttribute('aria-invalid') === 'true');
    assert.equal(await user.getAttribute('aria-invalid'), 'true');
    assert.match(await describedText(user), /用户名/);
    assert.equal(await user.evaluate((el) => el === document.activeElement), true, 'focus moves to the field');
    await shot(page, 'register-field-error');
    assertClean(page);
    await page.context().close();
  });

  test('registration works with the keyboard only', async () => {
    const page = await open(browser);
    const p = pool.next();
    await page.goto('/register');
    await page.locator('h1').waitFor();
    const focusedLabel = () => page.evaluate(() => {
      const el = document.activeElement;
      if (!el) return '';
      if (el.labels && el.labels.length) return el.labels[0].textContent.replace(/\s*\*$/, '').trim();
      return (el.textContent || '').trim();
    });
    /** Presses Tab until the field labelled `label` has the focus. */
    async function tabTo(label) {
      for (let i = 0; i < 40; i += 1) {
        await page.keyboard.press('Tab');
        if ((await focusedLabel()) === label) return;
      }
      assert.fail(`Tab never reached ${label}`);
    }
    await tabTo('用户名');
    await page.keyboard.type(p.username);
    await tabTo('密码');
    await page.keyboard.type(p.password);
    await tabTo('确认密码');
    await page.keyboard.type(p.password);
    await tabTo('姓名');
    await page.keyboard.type(p.name);
    await tabTo('证件类型');
    await tabTo('证件号码');
    await page.keyboard.type(p.id);
    await tabTo('手机号码');
    await page.locator('#id-check').getByText('该证件号码可以注册').waitFor();
    await page.keyboard.type(p.mobile);
    // The focus ring is visible on the focused field.
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none');
    await shot(page, 'register-keyboard');
    await page.keyboard.press('Enter');
    await page.waitForURL('**/account');
    assert.equal(await page.locator('#account-status').getAttribute('data-status'), 'active');
    assertClean(page);
    await page.context().close();
  });
});
