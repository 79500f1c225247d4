// S3: registration load at the production hash cost while /healthz is
// probed at a low, constant rate.

#include "bench/scenarios.hpp"

#include <cstdio>
#include <thread>

namespace idclaim::bench {

namespace {

/// The open-loop /healthz probe.
load_plan probe_plan(bench_context& ctx, const server_handle& srv,
                     const std::string& label, milliseconds warmup,
                     milliseconds measure) {
  auto p = ctx.plan(srv, "S3", label);
  p.mode = loop_mode::open;
  p.rate = ctx.sc.probe_rate;
  p.connections = 4;
  p.threads = 1;
  p.warmup = warmup;
  p.measure = measure;
  p.make = [](std::uint64_t) {
    request_spec s;
    s.target = "/healthz";
    return s;
  };
  return p;
}

} // namespace

void run_s3(bench_context& ctx, scenario_outcome& out) {
  ctx.release_shared();
  auto srv = ctx.start_server(ctx.server_defaults("interactive"));
  if (!srv->managed())
    out.notes.push_back("external server: its hash cost is whatever it was "
                        "started with");
  auto idle = ctx.run(probe_plan(ctx, *srv, "healthz probe, idle",
                                 milliseconds{500}, ctx.sc.s3_idle),
                      true);
  ctx.set("s3.healthz_p99_idle_ms", idle.ok_latency.p99_ms);

  // The registration load and the probe run at once, with the same
  // warm-up (the hash pool fills) and window.
  milliseconds warmup{2000};
  auto base = ctx.take_ids(5'000'000);
  auto load = ctx.plan(
    *srv, "S3", "register interactive C=" + std::to_string(ctx.sc.s3_clients));
  load.mode = loop_mode::closed;
  load.connections = ctx.sc.s3_clients;
  load.warmup = warmup;
  load.measure = ctx.sc.s3_measure;
  load.make = [&ids = ctx.ids, base](std::uint64_t seq) {
    return distinct_registration(ids, base + seq);
  };
  run_record loaded;
  std::thread probe([&] {
    loaded = run_load(probe_plan(ctx, *srv, "healthz probe, loaded", warmup,
                                 ctx.sc.s3_measure));
  });
  auto reg = ctx.run(load, false);
  probe.join();
  loaded.plot = true;
  ctx.rep.runs.push_back(loaded);
  ctx.set("s3.register_rps", reg.ok_per_s);
  ctx.set("s3.register_p99_ms", reg.ok_latency.p99_ms);
  ctx.set("s3.healthz_p99_loaded_ms", loaded.ok_latency.p99_ms);
  char text[300];
  std::snprintf(text, sizeof text,
                "%.1f registrations/s at interactive cost (server CPU %.0f%%); "
                "/healthz p99 %.2f ms idle, %.2f ms loaded (max %.2f ms)",
                reg.ok_per_s, reg.server_cpu_pct, idle.ok_latency.p99_ms,
                loaded.ok_latency.p99_ms, loaded.ok_latency.max_ms);
  out.notes.push_back(text);
  if (auto par = ctx.get("s0.hash_interactive.parallel_per_s"); par && *par > 0)
    ctx.set("s3.register_vs_parallel_hash", reg.ok_per_s / *par);
  if (auto ideal = ctx.get("s0.hash_interactive.ideal_per_s")) {
    std::snprintf(text, sizeof text,
                  "hash ceiling (cores / one hash) %.1f/s; measured in-process "
                  "with all cores %.1f/s",
                  *ideal,
                  ctx.get("s0.hash_interactive.parallel_per_s").value_or(0));
    out.notes.push_back(text);
  }
  for (auto& [status, n] : reg.statuses)
    if (status != 201)
      out.notes.push_back(load.label + ": " + std::to_string(n) + " answers "
                          + std::to_string(status));
}

} // namespace idclaim::bench
