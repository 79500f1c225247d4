// 运行状态, the operator's page: four live charts (review queue depth, live
// actors, request rate, p99) refreshed from GET /metrics and
// GET /api/v1/admin/actors; each says 暂无数据 while its source is absent.
// A reviewer is told the page is not theirs and where to go.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_URL, STAFF, assertClean, launch, open, shot, uiLogin } from '../lib/harness.mjs';

let browser;
let metricsServed = false;

before(async () => {
  browser = await launch();
  const res = await fetch(`${BASE_URL}/metrics`);
  // Without the route, the server answers with the app's HTML page.
  metricsServed = res.ok && (res.headers.get('content-type') || '').startsWith('text/plain');
});
after(async () => {
  await browser?.close();
});

describe('运行状态 (operator)', () => {
  test('an operator lands on 运行状态 and sees the four charts refresh', async () => {
    const page = await open(browser);
    await uiLogin(page, STAFF.operator.username, STAFF.operator.password, /\/admin\/status/);
    await page.getByRole('heading', { name: '运行状态' }).waitFor();
    assert.ok(await page.getByRole('link', { name: '运行状态' }).isVisible(), 'the top bar links it');
    // A fast pace so two readings (a rate needs two) come quickly.
    await page.goto('/admin/status?every=1');
    const updated = page.locator('#status-updated');
    await page.waitForFunction(() => Number(document.getElementById('status-updated')?.dataset.readings) >= 2);
    assert.match(await updated.innerText(), /最近更新：/);
    const cards = page.locator('.stat-card');
    assert.equal(await cards.count(), 4);
    for (const title of ['客服审核队列', '在线 actor 数', '请求速率', 'p99 响应时间'])
      await page.getByRole('heading', { name: title }).waitFor();
    for (let i = 0; i < 4; i += 1) {
      const card = cards.nth(i);
      const text = await card.locator('.stat-value').innerText();
      if ((await card.getAttribute('data-state')) === 'empty') assert.equal(text, '暂无数据');
      else assert.match(text, /^\d+(\.\d)? /, `${text} is a number with its unit`);
    }
    if (metricsServed) {
      assert.equal(await page.locator('[data-series="queue"]').getAttribute('data-state'), 'data');
      assert.equal(await page.locator('[data-series="rate"]').getAttribute('data-state'), 'data');
      assert.ok(await page.locator('#status-rate-chart svg path').count() > 0, 'the rate is drawn');
    } else {
      assert.match(await updated.innerText(), /暂无数据/, 'the missing source is named');
    }
    await shot(page, 'operator-status');
    assertClean(page);
    await page.context().close();
  });

  test('a reviewer is told the page is for operators and where to go', async () => {
    const page = await open(browser);
    await uiLogin(page, STAFF.reviewer.username, STAFF.reviewer.password, /\/admin\/reviews/);
    await page.goto('/admin/status');
    const refusal = page.locator('#status-refusal');
    await refusal.waitFor();
    assert.match(await refusal.innerText(), /仅供运维人员/);
    await refusal.getByRole('link', { name: '审核队列' }).click();
    await page.waitForURL('**/admin/reviews');
    await shot(page, 'reviewer-status-refused');
    assertClean(page);
    await page.context().close();
  });
});

describe('运行状态 with data', () => {
  test('the charts draw what /metrics and /admin/actors say', async () => {
    const page = await open(browser);
    await uiLogin(page, STAFF.operator.username, STAFF.operator.password, /\/admin\/status/);
    // Stand-ins for the two sources, so the drawing is checked whether or
    // not this server has them yet: every reading 20 more requests, 3 slow.
    let n = 0;
    await page.route('**/metrics', (route) => {
      n += 1;
      const total = 20 * n;
      route.fulfill({
        status: 200,
        contentType: 'text/plain; version=0.0.4',
        body: [
          '# TYPE idclaim_review_queue_depth gauge',
          `idclaim_review_queue_depth ${2 + n}`,
          `idclaim_http_requests_total{route="/api/v1/me",status="2xx"} ${total}`,
          `idclaim_http_request_duration_seconds_bucket{route="/api/v1/me",le="0.005"} ${total - 3 * n}`,
          `idclaim_http_request_duration_seconds_bucket{route="/api/v1/me",le="0.25"} ${total}`,
          `idclaim_http_request_duration_seconds_bucket{route="/api/v1/me",le="+Inf"} ${total}`,
        ].join('\n'),
      });
    });
    await page.route('**/api/v1/admin/actors', (route) => route.fulfill({
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({ kinds: [{ kind: 'claim', live: 4 }, { kind: 'account', live: 7 }] }),
    }));
    await page.goto('/admin/status?every=1');
    await page.waitForFunction(() => Number(document.getElementById('status-updated')?.dataset.readings) >= 3);
    for (const key of ['queue', 'actors', 'rate', 'p99']) {
      assert.equal(await page.locator(`[data-series="${key}"]`).getAttribute('data-state'), 'data', key);
      assert.equal(await page.locator(`#status-${key}-chart svg[role="img"] path`).count(), 1, `${key} is drawn`);
    }
    assert.equal(await page.locator('#status-actors-value').innerText(), '11 个');
    assert.match(await page.locator('#status-queue-value').innerText(), /^\d+ 个$/);
    assert.match(await page.locator('#status-rate-value').innerText(), /^\d+\.\d 次\/秒$/);
    // 3 of 20 above 5 ms: the p99 lies inside the 5-250 ms bucket.
    const p99 = Number((await page.locator('#status-p99-value').innerText()).split(' ')[0]);
    assert.ok(p99 > 5 && p99 <= 250, `p99 ${p99} ms`);
    await shot(page, 'operator-status-data');
    assertClean(page);
    await page.context().close();
  });

  test('the backlog table shows the deepest mailbox and the oldest waits', async () => {
    const page = await open(browser);
    await uiLogin(page, STAFF.operator.username, STAFF.operator.password, /\/admin\/status/);
    await page.route('**/api/v1/admin/actors', (route) => route.fulfill({
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({
        actors: [
          { kind: 'claim', live: 4, mailbox_messages: 9, mailbox_max: 7, oldest_message_seconds: 2.5 },
          { kind: 'account', live: 1, mailbox_messages: 0, mailbox_max: 0, oldest_message_seconds: 0 },
        ],
        queues: [
          { name: 'db', depth: 12, limit: 4096, rejected: 0, oldest_seconds: 75 },
          { name: 'cpu', depth: 0, limit: 512, rejected: 0, oldest_seconds: 0 },
        ],
        websocket_connections: 0,
      }),
    }));
    await page.goto('/admin/status?every=1');
    await page.getByRole('heading', { name: '积压与等待' }).waitFor();
    const row = (key) => page.locator(`#status-backlog tr[data-row="${key}"]`);
    await row('actor-claim').waitFor();
    assert.equal(await row('actor-claim').locator('.backlog-messages').innerText(), '7');
    assert.equal(await row('actor-claim').locator('.backlog-oldest').innerText(), '2.5 秒');
    assert.match(await row('actor-claim').innerText(), /证件 actor/);
    assert.equal(await row('actor-account').locator('.backlog-oldest').innerText(), '0.00 秒');
    assert.equal(await row('queue-db').locator('.backlog-messages').innerText(), '12 / 上限 4096');
    assert.equal(await row('queue-db').locator('.backlog-oldest').innerText(), '1 分 15 秒');
    assert.match(await row('queue-cpu').innerText(), /密码哈希队列/);
    await shot(page, 'operator-status-backlog');
    assertClean(page);
    await page.context().close();
  });
});
