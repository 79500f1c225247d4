#include "bench/results.hpp"

namespace idclaim::bench {

namespace {

double to_ms(std::uint64_t ns) {
  return static_cast<double>(ns) / 1e6;
}

} // namespace

latency_summary summarize(const latency_histogram& h) {
  latency_summary s;
  s.count = h.count();
  if (s.count == 0)
    return s;
  s.mean_ms = h.mean_ns() / 1e6;
  s.p50_ms = to_ms(h.quantile_ns(0.50));
  s.p90_ms = to_ms(h.quantile_ns(0.90));
  s.p99_ms = to_ms(h.quantile_ns(0.99));
  s.p999_ms = to_ms(h.quantile_ns(0.999));
  s.max_ms = to_ms(h.max_ns());
  for (double p : plotted_percentiles())
    s.curve.emplace_back(p,
                         to_ms(p == 0 ? h.min_ns() : h.quantile_ns(p / 100.0)));
  return s;
}

nlohmann::json to_json(const latency_summary& s) {
  nlohmann::json curve = nlohmann::json::array();
  for (auto& [p, ms] : s.curve)
    curve.push_back({p, ms});
  return {{"count", s.count},   {"mean_ms", s.mean_ms},
          {"p50_ms", s.p50_ms}, {"p90_ms", s.p90_ms},
          {"p99_ms", s.p99_ms}, {"p999_ms", s.p999_ms},
          {"max_ms", s.max_ms}, {"percentile_curve", curve}};
}

nlohmann::json to_json(const run_record& r) {
  nlohmann::json statuses = nlohmann::json::object();
  for (auto& [code, n] : r.statuses)
    statuses[std::to_string(code)] = n;
  return {{"scenario", r.scenario},
          {"label", r.label},
          {"mode", r.mode},
          {"connections", r.connections},
          {"offered_rate", r.offered_rate},
          {"window_s", r.window_s},
          {"issued", r.issued},
          {"answered", r.answered},
          {"ok", r.ok},
          {"ok_in_window", r.ok_in_window},
          {"ok_per_s", r.ok_per_s},
          {"transport_errors", r.transport_errors},
          {"timeouts", r.timeouts},
          {"unfinished", r.unfinished},
          {"retry_after_503", r.retry_after_503},
          {"statuses", statuses},
          {"ok_latency", to_json(r.ok_latency)},
          {"other_latency", to_json(r.other_latency)},
          {"server_cpu_pct", r.server_cpu_pct},
          {"client_cpu_pct", r.client_cpu_pct},
          {"server_us_per_ok", r.server_us_per_ok},
          {"client_us_per_ok", r.client_us_per_ok},
          {"server_rss_peak", r.server_rss_peak},
          {"max_client_queue", r.max_client_queue}};
}

nlohmann::json to_json(const scenario_outcome& s) {
  return {{"id", s.id},       {"title", s.title}, {"status", s.status},
          {"notes", s.notes}, {"data", s.data},   {"seconds", s.seconds}};
}

} // namespace idclaim::bench
