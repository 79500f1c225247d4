// Overload: registrations offered at several times what the hash pool can
// do, to see the bounded queue answer 503 quickly with Retry-After.

#include "bench/scenarios.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <map>
#include <mutex>

#include "bench/proc_stats.hpp"
#include "bench/rss_sampler.hpp"

namespace idclaim::bench {

namespace {

/// How long the server stays busy after the last answer, and the CPU it
/// spends meanwhile: work for requests that were already answered (or
/// abandoned) shows up here.
struct after_run {
  double busy_s = 0;
  double cpu_s = 0;
  bool still_busy = false;
};

after_run busy_after(pid_t pid, milliseconds limit) {
  after_run a;
  if (pid <= 0)
    return a;
  constexpr milliseconds step{500};
  auto start = bench_clock::now();
  auto first = cpu_seconds(pid);
  auto prev = first;
  a.still_busy = true;
  while (bench_clock::now() - start < limit) {
    pause_for(step);
    auto now = cpu_seconds(pid);
    // Below 10 % of a core: only the idle background is left.
    if (now - prev < 0.1 * 0.5) {
      a.still_busy = false;
      break;
    }
    prev = now;
  }
  a.cpu_s = prev - first;
  a.busy_s = std::chrono::duration<double>(bench_clock::now() - start).count();
  return a;
}

} // namespace

void run_overload(bench_context& ctx, scenario_outcome& out) {
  ctx.release_shared();
  auto srv = ctx.start_server(ctx.server_defaults("interactive"));
  // Capacity from S3 when it ran, else the hash ceiling, else a guess.
  double capacity
    = ctx.get("s3.register_rps")
        .value_or(ctx.get("s0.hash_interactive.ideal_per_s").value_or(20.0));
  capacity = std::max(capacity, 1.0);
  auto rate = capacity * ctx.sc.overload_factor;
  auto window = ctx.sc.overload_measure;
  auto expected = static_cast<std::size_t>(
    rate * std::chrono::duration<double>(window).count());
  latency_histogram refused; // 503s, from the intended send time
  latency_histogram failed;  // other non-2xx answers
  std::mutex m;
  std::map<std::string, std::uint64_t> codes;
  auto base = ctx.take_ids(5'000'000);
  auto p = ctx.plan(*srv, "overload",
                    "register "
                      + std::to_string(static_cast<int>(ctx.sc.overload_factor))
                      + "x capacity (open)");
  p.mode = loop_mode::open;
  p.rate = rate;
  // Enough connections that requests queue in the server, not here.
  p.connections
    = std::min<std::size_t>(std::max<std::size_t>(expected, 64), 4000);
  p.warmup = milliseconds{0};
  p.measure = window;
  p.request_timeout = milliseconds{30000};
  p.drain_limit = milliseconds{35000};
  p.make = [&ids = ctx.ids, base](std::uint64_t seq) {
    return distinct_registration(ids, base + seq);
  };
  p.sink = [&](std::uint64_t, bench_clock::time_point intended,
               const http_answer& res) {
    auto status = res.result_int();
    if (status >= 200 && status < 300)
      return;
    (status == 503 ? refused : failed).record(bench_clock::now() - intended);
    auto body = nlohmann::json::parse(res.body(), nullptr, false);
    std::string code = std::to_string(status);
    if (body.is_object() && body.contains("error"))
      code += " " + body["error"].value("code", "");
    std::lock_guard<std::mutex> lock(m);
    ++codes[code];
  };
  auto rss_before = rss_bytes(srv->pid());
  rss_sampler rss{srv->pid(), milliseconds{250}};
  auto start = rss_sampler::clock::now();
  auto r = ctx.run(p, true);
  rss.stop();
  auto busy = busy_after(srv->pid(), ctx.sc.overload_settle);
  auto mid = rss.at(start + window / 2);
  auto end = rss.at(start + window);
  auto answered = r.answered;
  auto n503 = r.statuses.count(503) ? r.statuses.at(503) : 0;
  auto refusals = summarize(refused);
  auto others = summarize(failed);
  ctx.set("overload.offered_rps", rate);
  ctx.set("overload.share_503",
          answered ? static_cast<double>(n503) / answered : 0);
  ctx.set("overload.retry_after_share",
          n503 ? static_cast<double>(r.retry_after_503) / n503
               : std::numeric_limits<double>::quiet_NaN());
  ctx.set("overload.p99_503_ms",
          n503 ? refusals.p99_ms : std::numeric_limits<double>::quiet_NaN());
  ctx.set("overload.max_ms",
          std::max({r.ok_latency.max_ms, refusals.max_ms, others.max_ms}));
  ctx.set("overload.timeouts", r.timeouts + r.unfinished);
  ctx.set("overload.rss_growth_second_half",
          mid > 0 ? static_cast<double>(end) / mid
                  : std::numeric_limits<double>::quiet_NaN());
  ctx.set("overload.rss_peak", rss.peak());
  out.data["answers_by_code"] = codes;
  out.data["refusal_latency"] = to_json(refusals);
  out.data["other_error_latency"] = to_json(others);
  char text[400];
  std::snprintf(text, sizeof text,
                "offered %.0f/s (%.0fx the measured %.1f/s) over %zu "
                "connections for %.0f s: %llu answered, %llu ok, %llu x 503 "
                "(%llu with Retry-After), %llu timeouts/unanswered",
                rate, ctx.sc.overload_factor, capacity, p.connections,
                std::chrono::duration<double>(window).count(),
                static_cast<unsigned long long>(answered),
                static_cast<unsigned long long>(r.ok),
                static_cast<unsigned long long>(n503),
                static_cast<unsigned long long>(r.retry_after_503),
                static_cast<unsigned long long>(r.timeouts + r.unfinished));
  out.notes.push_back(text);
  for (auto& [code, n] : codes)
    out.notes.push_back("  answers " + code + ": " + std::to_string(n));
  std::snprintf(text, sizeof text,
                "503 latency p50 %.1f ms, p99 %.1f ms, max %.1f ms; other "
                "errors p50 %.1f ms, max %.1f ms; 2xx p99 %.0f ms, max %.0f ms",
                refusals.p50_ms, refusals.p99_ms, refusals.max_ms,
                others.p50_ms, others.max_ms, r.ok_latency.p99_ms,
                r.ok_latency.max_ms);
  out.notes.push_back(text);
  ctx.set("overload.cpu_after_s", busy.cpu_s);
  std::snprintf(text, sizeof text,
                "after the last answer the server %s %.1f s and burnt %.1f "
                "CPU-seconds (work queued for requests already answered)",
                busy.still_busy ? "was still busy after" : "stayed busy for",
                busy.busy_s, busy.cpu_s);
  out.notes.push_back(text);
  out.notes.push_back("server RSS " + bytes_text(rss_before) + " before, "
                      + bytes_text(mid) + " mid-run, " + bytes_text(end)
                      + " at the end, peak " + bytes_text(rss.peak()));
}

} // namespace idclaim::bench
