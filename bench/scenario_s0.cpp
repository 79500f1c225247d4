// S0: baselines measured in the same run as everything they are compared to.

#include "bench/scenarios.hpp"

#include <cstdio>

#include "bench/baselines.hpp"

namespace idclaim::bench {

namespace {

request_spec healthz(std::uint64_t) {
  request_spec s;
  s.target = "/healthz";
  return s;
}

std::string line(const char* f, double a, double b = 0, double c = 0) {
  char text[256];
  std::snprintf(text, sizeof text, f, a, b, c);
  return text;
}

} // namespace

void run_s0(bench_context& ctx, scenario_outcome& out) {
  auto& srv = ctx.shared_fast();
  for (auto c : ctx.sc.healthz_levels) {
    auto p = ctx.plan(srv, "S0", "healthz C=" + std::to_string(c));
    p.mode = loop_mode::closed;
    p.connections = c;
    p.warmup = ctx.sc.warmup;
    p.measure = ctx.sc.measure;
    p.make = healthz;
    auto r = ctx.run(p, c == 64);
    auto key = ".c" + std::to_string(c);
    ctx.set("s0.healthz_rps" + key, r.ok_per_s);
    ctx.set("s0.healthz_p99_ms" + key, r.ok_latency.p99_ms);
  }
  auto cores = ctx.rep.machine.cores;
  ctx.set("machine.cores", cores);
  std::printf("  [S0] timing the password hash in-process on %u threads\n",
              cores);
  std::fflush(stdout);
  auto fast
    = measure_hash(crypto::hash_cost::fast, 500, cores, milliseconds{500});
  auto inter = measure_hash(crypto::hash_cost::interactive, ctx.sc.hash_samples,
                            cores, ctx.sc.hash_parallel);
  out.data["hash_fast"] = to_json(fast);
  out.data["hash_interactive"] = to_json(inter);
  for (auto* h : {&fast, &inter}) {
    auto key = "s0.hash_" + h->cost;
    ctx.set(key + ".median_ms", h->median_ms);
    ctx.set(key + ".ideal_per_s", h->ideal_per_s);
    ctx.set(key + ".parallel_per_s", h->parallel_per_s);
    out.notes.push_back(
      "hash " + h->cost
      + line(": %.3f ms each on one thread; cores / time = %.0f/s; "
             "measured with all cores at once: %.0f/s",
             h->median_ms, h->ideal_per_s, h->parallel_per_s));
  }
  std::printf("  [S0] timing SQLite commits in %s\n",
              ctx.opts.work_dir.c_str());
  std::fflush(stdout);
  auto full1 = measure_commits(ctx.opts.work_dir, "FULL", ctx.sc.commits, 1);
  auto full64 = measure_commits(ctx.opts.work_dir, "FULL",
                                std::max(10, ctx.sc.commits / 10), 64);
  auto normal1
    = measure_commits(ctx.opts.work_dir, "NORMAL", ctx.sc.commits, 1);
  out.data["commit_full_1"] = to_json(full1);
  out.data["commit_full_64"] = to_json(full64);
  out.data["commit_normal_1"] = to_json(normal1);
  ctx.set("s0.commit_full_1.rows_per_s", full1.rows_per_s);
  ctx.set("s0.commit_full_64.rows_per_s", full64.rows_per_s);
  ctx.set("s0.commit_normal_1.rows_per_s", normal1.rows_per_s);
  out.notes.push_back(line("SQLite WAL synchronous=FULL: %.3f ms per "
                           "single-row commit (%.0f rows/s); 64 rows per "
                           "commit: %.0f rows/s",
                           full1.per_tx_ms, full1.rows_per_s,
                           full64.rows_per_s));
  out.notes.push_back(line("SQLite WAL synchronous=NORMAL: %.3f ms per "
                           "single-row commit (%.0f rows/s)",
                           normal1.per_tx_ms, normal1.rows_per_s));
  if (auto h = ctx.get("s0.healthz_rps.c64"))
    out.notes.push_back(line("/healthz at 64 clients: %.0f req/s", *h));
}

} // namespace idclaim::bench
