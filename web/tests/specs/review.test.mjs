// 证件重复-客服审核 from both sides: the student's page (photo rules, the
// holder warning, a refused and an accepted upload), the reviewer's queue
// (position, age, warning badge) and case page (photos, warning, history,
// approve), and the student's page showing the new status.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import {
  STAFF, api, assertClean, hasRoute, launch, open, people, register, setRegistrations, shot,
  token, uiLogin,
} from '../lib/harness.mjs';
import { cardPhoto } from '../lib/images.mjs';

const pool = people(3);
let browser;
let holder;
let claimant;
let files;
let liveEvents = false;

before(async () => {
  browser = await launch();
  holder = await register(pool.next());
  setRegistrations(holder, true, false);
  claimant = await register({ ...pool.next(), id: holder.id }, { acknowledge: true });
  const dir = tmpdir();
  files = {
    front: join(dir, `idclaim-front-${process.pid}.png`),
    back: join(dir, `idclaim-back-${process.pid}.png`),
    text: join(dir, `idclaim-notimage-${process.pid}.jpg`),
  };
  writeFileSync(files.front, cardPhoto([230, 200, 120]));
  writeFileSync(files.back, cardPhoto([120, 160, 230]));
  writeFileSync(files.text, 'this is not an image, whatever its name says');
  liveEvents = await hasRoute('GET', '/events', await token(claimant.username, claimant.password));
});
after(async () => {
  await browser?.close();
});

describe('customer-service review', () => {
  let studentPage;

  test('the review page shows the photo rules and the holder warning, and takes an upload', async () => {
    studentPage = await open(browser);
    const page = studentPage;
    await uiLogin(page, claimant.username, claimant.password);
    await page.goto('/account/review');
    await page.getByRole('heading', { name: /证件重复-客服审核/ }).waitFor();
    const rules = page.locator('.photo-rules');
    assert.match(await rules.innerText(), /照片要求：（需符合以下要求，否则不予审核通过）/);
    assert.equal(await rules.locator('li').count(), 4);
    assert.match(await rules.innerText(), /仅支持 \.jpg \.jpeg \.png \.gif 的图片格式，图片大小不超过300K/);
    const warning = page.locator('#review-warning');
    assert.match(await warning.innerText(), /兵役登记\/应征报名、研招报名，将会暂时有影响，请慎重此操作/);
    await shot(page, 'review-page');

    // A file that is not an image is refused; the error is next to its input.
    await page.getByLabel('手持身份证照片（正面）').setInputFiles(files.text);
    await page.getByLabel('手持身份证照片（背面）').setInputFiles(files.back);
    await page.getByRole('button', { name: '提交审核' }).click();
    const front = page.getByLabel('手持身份证照片（正面）');
    await page.locator('.field.has-error').waitFor();
    assert.equal(await front.getAttribute('aria-invalid'), 'true');
    assert.match(await page.locator('.field.has-error').innerText(), /仅支持 \.jpg \.jpeg \.png \.gif/);
    await shot(page, 'review-refused-format');

    await front.setInputFiles(files.front);
    await page.getByRole('button', { name: '提交审核' }).click();
    await page.locator('#review-submitted').waitFor();
    await page.locator('#my-reviews').getByText('待客服审核').waitFor();
    await shot(page, 'review-submitted');
    await page.goto('/account');
    assertClean(page);
  });

  test('the reviewer sees the queue and approves the case with its photos and warning', async () => {
    const page = await open(browser);
    await uiLogin(page, STAFF.reviewer.username, STAFF.reviewer.password, '**/admin/reviews');
    const table = page.locator('#queue-table');
    await table.waitFor();
    const row = table.locator('tbody tr').filter({ hasText: claimant.username });
    assert.equal(await row.count(), 1);
    const cells = await row.locator('td').allInnerTexts();
    assert.match(cells[0], /^\d+$/, 'position');
    assert.match(cells[2], /分钟|小时|天/, 'age');
    assert.match(cells[4], /兵役登记/, 'warning badge');
    // Oldest first: positions count up.
    const positions = (await table.locator('tbody tr td:first-child').allInnerTexts()).map(Number);
    assert.deepEqual(positions, [...positions].sort((a, b) => a - b));
    await shot(page, 'reviewer-queue');

    await row.getByRole('link', { name: /处理/ }).click();
    await page.waitForURL(/\/admin\/reviews\/\d+$/);
    await page.locator('#case-facts').waitFor();
    assert.equal(await page.locator('#case-facts [data-key="id_number"] dd').innerText(), holder.id,
      'the reviewer working the case sees the number in full');
    assert.match(await page.locator('#case-warning').innerText(), /将会暂时有影响，请慎重此操作/);
    for (const side of ['正面', '背面']) {
      const img = page.getByRole('img', { name: new RegExp(side) });
      await img.evaluate((el) => el.decode());
      assert.ok(await img.evaluate((el) => el.naturalWidth) > 0, `${side} photo loads`);
    }
    assert.ok(await page.locator('#case-history tbody tr').count() >= 2, 'history');
    await shot(page, 'reviewer-case');

    await page.getByRole('button', { name: '审核通过' }).click();
    await page.locator('#decision-result').getByText('已审核通过').waitFor();
    await shot(page, 'reviewer-case-approved');
    assertClean(page);
    await page.context().close();
  });

  test('the student page shows the new status', async () => {
    const page = studentPage;
    if (liveEvents) {
      // Live: the `account` event redraws the open page, no navigation.
      await page.locator('#account-status[data-status="active"]').waitFor({ timeout: 5000 });
    } else {
      await page.reload();
    }
    assert.equal(await page.locator('#banner .banner').count(), 0);
    await shot(page, 'review-student-after-approval');
    await page.goto('/account/review');
    await page.locator('#my-reviews').getByText('审核通过').waitFor();
    const login = await api('POST', '/sessions', { body: { username: holder.username, password: holder.password } });
    assert.equal(login.body.error.code, 'ACCOUNT_CANCELLED');
    assertClean(page);
    await page.context().close();
  });
});
