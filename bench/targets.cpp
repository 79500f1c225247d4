#include "bench/targets.hpp"

#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>

namespace idclaim::bench {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

std::optional<double> get(const value_map& v, const std::string& key) {
  auto i = v.find(key);
  if (i == v.end() || std::isnan(i->second))
    return std::nullopt;
  return i->second;
}

std::string num(double x) {
  char text[64];
  if (std::fabs(x) >= 100 || x == std::floor(x))
    std::snprintf(text, sizeof text, "%.0f", x);
  else
    std::snprintf(text, sizeof text, "%.3g", x);
  return text;
}

/// A target with its description filled in and nothing measured yet.
target_check make(std::string id, std::string name, std::string formula,
                  std::string goal) {
  target_check t;
  t.id = std::move(id);
  t.name = std::move(name);
  t.formula = std::move(formula);
  t.goal = std::move(goal);
  t.measured = nan;
  return t;
}

target_check not_available(target_check t, const std::string& missing) {
  t.measured = nan;
  t.verdict = "N/A";
  t.detail = "not measured: " + missing;
  return t;
}

/// How far `x` is from `limit`, for a missed target.
std::string miss_text(double x, double limit, bool at_least) {
  if (limit == 0)
    return std::string{"; must be "} + (at_least ? ">= " : "<= ") + "0";
  if (at_least)
    return "; reaches " + num(100 * x / limit) + "% of the goal " + num(limit);
  return "; " + num(x / limit) + "x the limit " + num(limit);
}

/// measured = a / b, compared with `limit`; at_least says which way.
target_check ratio(target_check t, const value_map& v, const std::string& a,
                   const std::string& b, double limit, bool at_least) {
  auto x = get(v, a);
  auto y = get(v, b);
  if (!x)
    return not_available(std::move(t), a);
  if (!y || *y == 0)
    return not_available(std::move(t), b);
  t.measured = *x / *y;
  bool pass = at_least ? t.measured >= limit : t.measured <= limit;
  t.verdict = pass ? "PASS" : "MISS";
  t.detail = a + " = " + num(*x) + ", " + b + " = " + num(*y);
  if (!pass)
    t.detail += miss_text(t.measured, limit, at_least);
  return t;
}

/// measured = v[a], compared with `limit`.
target_check bound(target_check t, const value_map& v, const std::string& a,
                   double limit, bool at_least) {
  auto x = get(v, a);
  if (!x)
    return not_available(std::move(t), a);
  t.measured = *x;
  bool pass = at_least ? *x >= limit : *x <= limit;
  t.verdict = pass ? "PASS" : "MISS";
  t.detail = a + " = " + num(*x);
  if (!pass)
    t.detail += miss_text(*x, limit, at_least);
  return t;
}

/// Makes `t` MISS (keeping its measured value) when `key` is above `limit`.
void also_at_most(target_check& t, const value_map& v, const std::string& key,
                  double limit) {
  if (t.verdict == "N/A")
    return;
  auto x = get(v, key);
  if (!x) {
    t.verdict = "N/A";
    t.detail += "; not measured: " + key;
    return;
  }
  t.detail += ", " + key + " = " + num(*x);
  if (*x > limit) {
    t.verdict = "MISS";
    t.detail += " (must be <= " + num(limit) + ")";
  }
}

} // namespace

std::vector<target_check> evaluate_targets(const value_map& v) {
  std::vector<target_check> out;
  out.push_back(ratio(make("T1",
                           "registrations (fast hash, distinct IDs, 64 "
                           "clients) vs /healthz at 64 clients",
                           "s1 register ok/s / s0 healthz ok/s", ">= 0.2"),
                      v, "s1.register_rps.c64", "s0.healthz_rps.c64", 0.2,
                      true));
  out.push_back(ratio(
    make("T2",
         "registrations at interactive hash cost vs "
         "cores / time of one hash",
         "s3 register ok/s / (cores / s0 interactive hash time)", ">= 0.9"),
    v, "s3.register_rps", "s0.hash_interactive.ideal_per_s", 0.9, true));
  out.push_back(
    ratio(make("T3",
               "same-ID vs distinct-ID registrations (256 "
               "clients, fast hash)",
               "s2 one-ID ok/s / s1 distinct ok/s at 256", ">= 0.5"),
          v, "s2.one_id_rps.c256", "s1.register_rps.c256", 0.5, true));
  out.push_back(ratio(make("T4",
                           "/healthz p99 under full registration load vs "
                           "idle",
                           "s3 loaded p99 / s3 idle p99", "<= 3"),
                      v, "s3.healthz_p99_loaded_ms", "s3.healthz_p99_idle_ms",
                      3, false));
  {
    auto t = bound(make("T5",
                        "notification p99 with 10,000 idle sockets, none "
                        "lost",
                        "s4 p99 of send-to-frame latency; lost frames",
                        "<= 5 ms, "
                        "0 lost"),
                   v, "s4.notify_p99_ms.idle10000", 5, false);
    also_at_most(t, v, "s4.lost.idle10000", 0);
    out.push_back(t);
  }
  out.push_back(bound(make("T6", "memory per idle WebSocket",
                           "s5 server RSS growth / sockets (bytes)", "<= 8192"),
                      v, "s5.bytes_per_ws", 8192, false));
  out.push_back(bound(make("T7", "memory per idle claim actor",
                           "s5 server RSS growth / actors (bytes)", "<= 2048"),
                      v, "s5.bytes_per_actor", 2048, false));
  out.push_back(ratio(make("T8",
                           "registration throughput at the largest vs the "
                           "smallest account count (10^6 vs 10^4 in full)",
                           "s6 ok/s at top / ok/s at 10^4", ">= 0.8"),
                      v, "s6.register_rps.top", "s6.register_rps.bottom", 0.8,
                      true));
  {
    auto t = bound(make("T9",
                        "overload: every 503 carries Retry-After, answered "
                        "quickly, no timeouts, memory bounded",
                        "share of 503 with Retry-After; 503 p99; timeouts; RSS "
                        "growth in the 2nd half",
                        "1.0, <= 100 ms, 0, <= 1.1x"),
                   v, "overload.retry_after_share", 1, true);
    also_at_most(t, v, "overload.p99_503_ms", 100);
    also_at_most(t, v, "overload.timeouts", 0);
    also_at_most(t, v, "overload.rss_growth_second_half", 1.1);
    out.push_back(t);
  }
  out.push_back(bound(make("I1",
                           "invariant after contention: exactly one active "
                           "account per contended ID",
                           "violations found by S2", "0"),
                      v, "s2.violations", 0, false));
  return out;
}

nlohmann::json to_json(const target_check& t) {
  nlohmann::json measured = nullptr;
  if (!std::isnan(t.measured))
    measured = t.measured;
  return {{"id", t.id},        {"name", t.name},       {"formula", t.formula},
          {"goal", t.goal},    {"measured", measured}, {"verdict", t.verdict},
          {"detail", t.detail}};
}

} // namespace idclaim::bench
