// S1: registrations on distinct IDs, fast hash, at 1..256 concurrent clients.

#include "bench/scenarios.hpp"

#include <algorithm>
#include <cstdio>

namespace idclaim::bench {

namespace {

/// Identity numbers reserved per run; far more than any run registers.
constexpr std::uint64_t ids_per_run = 5'000'000;

/// A note when a run saw anything but 201.
void note_statuses(const run_record& r, scenario_outcome& out) {
  for (auto& [status, n] : r.statuses)
    if (status != 201)
      out.notes.push_back(r.label + ": " + std::to_string(n) + " answers "
                          + std::to_string(status));
  if (auto bad = r.transport_errors + r.timeouts)
    out.notes.push_back(r.label + ": " + std::to_string(bad)
                        + " transport errors/timeouts");
}

} // namespace

void run_s1(bench_context& ctx, scenario_outcome& out) {
  auto& srv = ctx.shared_fast();
  double best = 0;
  std::size_t best_c = 0;
  for (auto c : ctx.sc.levels) {
    auto base = ctx.take_ids(ids_per_run);
    auto p = ctx.plan(srv, "S1", "register distinct C=" + std::to_string(c));
    p.mode = loop_mode::closed;
    p.connections = c;
    p.warmup = ctx.sc.warmup;
    p.measure = ctx.sc.measure;
    p.make = [&ids = ctx.ids, base](std::uint64_t seq) {
      return distinct_registration(ids, base + seq);
    };
    auto r = ctx.run(p, c == 64);
    auto key = ".c" + std::to_string(c);
    ctx.set("s1.register_rps" + key, r.ok_per_s);
    ctx.set("s1.register_p99_ms" + key, r.ok_latency.p99_ms);
    note_statuses(r, out);
    if (r.ok_per_s > best) {
      best = r.ok_per_s;
      best_c = c;
    }
  }
  ctx.set("s1.best_rps", best);
  char text[200];
  std::snprintf(text, sizeof text,
                "closed-loop maximum: %.0f registrations/s at %zu clients",
                best, best_c);
  out.notes.push_back(text);
  if (best <= 0)
    throw std::runtime_error("no registration succeeded");
  // Latency at a sustainable rate: open loop at 80 % of the maximum.
  auto base = ctx.take_ids(ids_per_run);
  auto p = ctx.plan(srv, "S1", "register open 80% of max");
  p.mode = loop_mode::open;
  p.rate = 0.8 * best;
  // As many connections as the maximum needed, so that the open loop is
  // not limited by the pool.
  p.connections = std::max<std::size_t>(64, best_c);
  p.warmup = milliseconds{1000};
  p.measure = ctx.sc.open_measure;
  p.make = [&ids = ctx.ids, base](std::uint64_t seq) {
    return distinct_registration(ids, base + seq);
  };
  auto r = ctx.run(p, true);
  note_statuses(r, out);
  ctx.set("s1.open80.rate", p.rate);
  ctx.set("s1.open80.p50_ms", r.ok_latency.p50_ms);
  ctx.set("s1.open80.p99_ms", r.ok_latency.p99_ms);
  ctx.set("s1.open80.p999_ms", r.ok_latency.p999_ms);
  std::snprintf(text, sizeof text,
                "open loop at %.0f/s over %zu connections: p50 %.2f ms, p99 "
                "%.2f ms, p99.9 %.2f ms, max %.2f ms; most waiting for a "
                "connection: %llu",
                p.rate, p.connections, r.ok_latency.p50_ms, r.ok_latency.p99_ms,
                r.ok_latency.p999_ms, r.ok_latency.max_ms,
                static_cast<unsigned long long>(r.max_client_queue));
  out.notes.push_back(text);
}

} // namespace idclaim::bench
