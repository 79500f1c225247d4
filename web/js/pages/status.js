// 运行状态: the operator's live view of the service — review queue depth,
// live actors, request rate and p99 latency — read from GET /metrics and
// GET /api/v1/admin/actors every few seconds and drawn as small charts,
// and below them the backlog (积压) table: per actor kind the deepest
// mailbox and the longest-waiting message, per queue (storage, password
// hashing) its depth and its oldest work. Either source may be missing
// (404): its charts then say 暂无数据.

import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { lineChart } from '../charts.js';
import { backlog, point, reading } from '../metrics.js';
import { plainPage } from '../layout.js';
import { session } from '../session.js';

/** How many points each chart keeps (a few minutes at the default pace). */
const KEEP = 60;

const SERIES = [
  { key: 'queue', title: '客服审核队列', unit: '个', digits: 0 },
  { key: 'actors', title: '在线 actor 数', unit: '个', digits: 0 },
  { key: 'rate', title: '请求速率', unit: '次/秒', digits: 1 },
  { key: 'p99', title: 'p99 响应时间', unit: '毫秒', digits: 1 },
];

async function fetchMetrics() {
  try {
    const res = await fetch('/metrics', { credentials: 'same-origin', headers: { Accept: 'text/plain' } });
    // Without a /metrics route the server answers with the app's page.
    const type = res.headers.get('Content-Type') || '';
    return res.ok && type.startsWith('text/plain') ? await res.text() : null;
  } catch {
    return null;
  }
}

async function fetchActors() {
  const res = await api.get('/admin/actors');
  return res.ok ? res.data : null;
}

function seriesCard(s) {
  const value = h('p', { class: 'stat-value', id: `status-${s.key}-value`, 'aria-live': 'off' }, '暂无数据');
  const chart = h('div', { class: 'stat-chart', id: `status-${s.key}-chart` });
  const card = h('section', { class: 'card stat-card', 'aria-labelledby': `status-${s.key}-title`,
    dataset: { series: s.key } },
  h('h2', { id: `status-${s.key}-title` }, s.title), value, chart);
  return { ...s, card, value, chart };
}

function draw(card, points) {
  const values = points.map((p) => p[card.key]);
  const last = values.length ? values[values.length - 1] : null;
  const has = Number.isFinite(last);
  card.card.dataset.state = has ? 'data' : 'empty';
  card.value.textContent = has ? `${last.toFixed(card.digits)} ${card.unit}` : '暂无数据';
  replace(card.chart, values.some(Number.isFinite)
    ? lineChart(values, { label: `${card.title}，最近 ${values.length} 次读数，当前 ${has ? card.value.textContent : '暂无数据'}` })
    : null);
}

/** A wait in seconds as people read it: 0.25 秒, 12 秒, 3 分 5 秒. */
function waitText(seconds) {
  if (seconds === null) return '暂无数据';
  if (seconds < 10) return `${seconds.toFixed(seconds < 1 ? 2 : 1)} 秒`;
  if (seconds < 60) return `${Math.round(seconds)} 秒`;
  const m = Math.floor(seconds / 60);
  return `${m} 分 ${Math.round(seconds - m * 60)} 秒`;
}

/** The backlog table: what waits where and for how long. */
function backlogTable() {
  const body = h('tbody', { id: 'status-backlog-rows' },
    h('tr', {}, h('td', { colspan: 4 }, '暂无数据')));
  const table = h('table', { class: 'table', id: 'status-backlog' },
    h('caption', {}, '积压情况：最久等待持续增长说明处理已停滞，见运维手册'),
    h('thead', {}, h('tr', {},
      h('th', { scope: 'col' }, '对象'), h('th', { scope: 'col' }, '统计口径'),
      h('th', { scope: 'col' }, '消息/任务数'), h('th', { scope: 'col' }, '最久等待'))),
    body);
  const section = h('section', { class: 'card', 'aria-labelledby': 'status-backlog-title' },
    h('h2', { id: 'status-backlog-title' }, '积压与等待'), h('div', { class: 'table-wrap' }, table));
  function show(actors) {
    const rows = backlog(actors);
    replace(body, rows.length ? rows.map((r) => h('tr', { dataset: { row: r.key } },
      h('th', { scope: 'row' }, r.name), h('td', {}, r.what),
      h('td', { class: 'backlog-messages' }, r.messages === null ? '暂无数据'
        : r.limit === null ? `${r.messages}` : `${r.messages} / 上限 ${r.limit}`),
      h('td', { class: 'backlog-oldest' }, waitText(r.oldest))))
      : h('tr', {}, h('td', { colspan: 4 }, '暂无数据')));
  }
  return { section, show };
}

function notOperator() {
  return plainPage('运行状态',
    h('div', { class: 'notice notice-refusal', role: 'alert', id: 'status-refusal' },
      h('p', {}, '运行状态仅供运维人员（operator）查看。您的帐号是客服审核员。'),
      h('p', {}, '请前往 ', h('a', { href: '/admin/reviews' }, '审核队列'), ' 处理待审核的申请。')));
}

/** The page; `?every=N` sets the refresh pace in seconds (default 5). */
export async function statusPage(ctx) {
  if (!session.staff || session.staff.role !== 'operator') return notOperator();
  const every = Math.max(1, Number(ctx.query.get('every')) || 5) * 1000;
  const cards = SERIES.map(seriesCard);
  const waits = backlogTable();
  const updated = h('p', { class: 'muted', id: 'status-updated' }, '正在读取…');
  const points = [];
  let prev = null;
  let timer = null;
  let stopped = false;

  async function tick() {
    const [text, actors] = await Promise.all([fetchMetrics(), fetchActors()]);
    if (stopped) return;
    const cur = reading(Date.now(), text, actors);
    points.push(point(prev, cur));
    if (points.length > KEEP) points.shift();
    prev = cur;
    for (const c of cards) draw(c, points);
    waits.show(actors);
    const sources = [text === null ? '指标（/metrics）暂无数据' : null,
      actors === null ? 'actor 列表暂无数据' : null].filter(Boolean);
    updated.textContent = `最近更新：${new Date(cur.time).toLocaleTimeString('zh-CN', { hour12: false })}`
      + `，每 ${every / 1000} 秒刷新${sources.length ? `；${sources.join('，')}` : ''}`;
    updated.dataset.readings = String(points.length);
    timer = setTimeout(tick, every);
  }
  ctx.onLeave(() => {
    stopped = true;
    clearTimeout(timer);
  });
  tick();
  return plainPage('运行状态', updated, h('div', { class: 'stat-grid' }, cards.map((c) => c.card)),
    waits.section);
}
