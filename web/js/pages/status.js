// 运行状态: the operator's live view of the service — review queue depth,
// live actors, request rate and p99 latency — read from GET /metrics and
// GET /api/v1/admin/actors every few seconds and drawn as small charts.
// Either source may be missing (404): its charts then say 暂无数据.

import * as api from '../api.js';
import { h, replace } from '../dom.js';
import { lineChart } from '../charts.js';
import { point, reading } from '../metrics.js';
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
  return plainPage('运行状态', updated, h('div', { class: 'stat-grid' }, cards.map((c) => c.card)));
}
