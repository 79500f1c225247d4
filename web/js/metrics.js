// Reading the operator numbers: the Prometheus text of GET /metrics and the
// actor list of GET /api/v1/admin/actors, turned into the four series the
// 运行状态 page draws. Pure functions, so they are easy to test and reuse.

/**
 * Parses Prometheus text exposition into samples
 * `{name, labels: {k: v}, value}`; comments, blank and malformed lines are
 * skipped (the page shows what it can rather than nothing).
 */
export function parsePrometheus(text) {
  const samples = [];
  for (const raw of String(text || '').split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m) continue;
    const labels = {};
    const re = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
    let lm;
    while ((lm = re.exec(m[3] || '')) !== null) labels[lm[1]] = lm[2].replace(/\\(.)/g, '$1');
    const value = m[4] === '+Inf' ? Infinity : Number(m[4]);
    if (!Number.isNaN(value)) samples.push({ name: m[1], labels, value });
  }
  return samples;
}

/** The sum of every sample whose name passes `test`, or null if none. */
export function sumOf(samples, test) {
  const hits = samples.filter((s) => test(s.name));
  return hits.length ? hits.reduce((acc, s) => acc + s.value, 0) : null;
}

const isQueue = (n) => n === 'idclaim_review_queue_depth';
const isRequests = (n) => n === 'idclaim_http_requests_total';
const isLatencyBucket = (n) => /^idclaim_http_request[a-z_]*_seconds_bucket$/.test(n);
const isActorGauge = (n) => /^idclaim_actors(_live)?$/.test(n);

/** Cumulative latency buckets summed over every label but `le`. */
function buckets(samples) {
  const byLe = new Map();
  for (const s of samples) {
    if (!isLatencyBucket(s.name) || s.labels.le === undefined) continue;
    const le = s.labels.le === '+Inf' ? Infinity : Number(s.labels.le);
    byLe.set(le, (byLe.get(le) || 0) + s.value);
  }
  return [...byLe.entries()].sort((a, b) => a[0] - b[0]);
}

/**
 * The q-quantile (0..1) of the requests between two bucket sets, by linear
 * interpolation inside the bucket (as Prometheus's histogram_quantile).
 * Null when no request finished in between.
 */
export function quantile(q, before, after) {
  const prev = new Map(before);
  const deltas = after.map(([le, n]) => [le, n - (prev.get(le) || 0)]);
  const total = deltas.length ? deltas[deltas.length - 1][1] : 0;
  if (!(total > 0)) return null;
  const rank = q * total;
  let lowerLe = 0;
  let lowerCount = 0;
  for (const [le, count] of deltas) {
    if (count >= rank) {
      if (le === Infinity) return lowerLe;
      const inBucket = count - lowerCount;
      return inBucket > 0 ? lowerLe + (le - lowerLe) * ((rank - lowerCount) / inBucket) : le;
    }
    lowerLe = le;
    lowerCount = count;
  }
  return lowerLe;
}

/** Live actors from GET /admin/actors: the sum of its per-kind counts. */
export function liveActors(body) {
  if (!body || typeof body !== 'object') return null;
  const list = Array.isArray(body) ? body
    : Array.isArray(body.kinds) ? body.kinds
      : Array.isArray(body.actors) ? body.actors : null;
  if (list) {
    const counts = list.map((k) => Number(k.live ?? k.count ?? k.actors ?? NaN)).filter(Number.isFinite);
    return counts.length ? counts.reduce((a, b) => a + b, 0) : null;
  }
  if (Number.isFinite(body.live)) return body.live;
  if (body.by_kind && typeof body.by_kind === 'object') {
    const counts = Object.values(body.by_kind)
      .map((v) => Number(typeof v === 'object' ? v.live ?? v.count : v)).filter(Number.isFinite);
    return counts.length ? counts.reduce((a, b) => a + b, 0) : null;
  }
  return null;
}

/**
 * One reading: `{time, queue, actors, requests, buckets}` from the raw
 * answers (null where a source was missing). `actorsBody` is the parsed
 * JSON of /admin/actors or null.
 */
export function reading(time, metricsText, actorsBody) {
  const samples = metricsText === null ? [] : parsePrometheus(metricsText);
  return {
    time,
    queue: sumOf(samples, isQueue),
    actors: liveActors(actorsBody) ?? sumOf(samples, isActorGauge),
    requests: sumOf(samples, isRequests),
    buckets: buckets(samples),
  };
}

/**
 * The point of each series between two readings: queue depth and live
 * actors as read; request rate (per second) and p99 latency (ms) from the
 * change since `prev`. Null where it cannot be known.
 */
export function point(prev, cur) {
  const dt = prev ? (cur.time - prev.time) / 1000 : 0;
  let rate = null;
  if (prev && dt > 0 && prev.requests !== null && cur.requests !== null && cur.requests >= prev.requests)
    rate = (cur.requests - prev.requests) / dt;
  let p99 = null;
  if (prev && cur.buckets.length) {
    const q = quantile(0.99, prev.buckets, cur.buckets);
    p99 = q === null ? null : q * 1000;
  }
  return { time: cur.time, queue: cur.queue, actors: cur.actors, rate, p99 };
}

/** zh-CN names of the actor kinds and queues /admin/actors reports. */
const BACKLOG_NAMES = {
  claim: '证件 actor（每个证件号一个）',
  account: '帐号 actor（每个帐号一个）',
  db: '存储队列',
  cpu: '密码哈希队列',
};

/**
 * The backlog rows of /admin/actors: one per actor kind (the deepest single
 * mailbox and the longest wait of a message in any of them) and one per
 * bounded queue (its depth of its bound and its oldest work). `messages`
 * and `oldest` (seconds) are null where the answer lacks them.
 */
export function backlog(body) {
  if (!body || typeof body !== 'object') return [];
  const num = (v) => (Number.isFinite(Number(v)) && v !== null && v !== undefined ? Number(v) : null);
  const rows = [];
  for (const k of Array.isArray(body.actors) ? body.actors : []) {
    rows.push({ key: `actor-${k.kind}`, name: BACKLOG_NAMES[k.kind] || String(k.kind),
      what: '最深的单个邮箱', messages: num(k.mailbox_max), limit: null,
      oldest: num(k.oldest_message_seconds) });
  }
  for (const q of Array.isArray(body.queues) ? body.queues : []) {
    rows.push({ key: `queue-${q.name}`, name: BACKLOG_NAMES[q.name] || String(q.name),
      what: '排队中（含执行中）', messages: num(q.depth), limit: num(q.limit),
      oldest: num(q.oldest_seconds) });
  }
  return rows;
}
