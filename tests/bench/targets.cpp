#define CAF_SUITE bench.targets
#include <caf/test/unit_test.hpp>

#include <cmath>
#include <string>

#include "bench/report.hpp"
#include "bench/targets.hpp"

using namespace idclaim::bench;

namespace {

const target_check& find(const std::vector<target_check>& all,
                         const std::string& id) {
  for (auto& t : all)
    if (t.id == id)
      return t;
  throw std::runtime_error("no target " + id);
}

/// Values with which every target passes.
value_map all_pass() {
  return {{"s1.register_rps.c64", 3000},
          {"s0.healthz_rps.c64", 10000},
          {"s3.register_rps", 19},
          {"s0.hash_interactive.ideal_per_s", 20},
          {"s2.one_id_rps.c256", 2000},
          {"s1.register_rps.c256", 3000},
          {"s3.healthz_p99_loaded_ms", 2},
          {"s3.healthz_p99_idle_ms", 1},
          {"s4.notify_p99_ms.idle10000", 4},
          {"s4.lost.idle10000", 0},
          {"s5.bytes_per_ws", 8000},
          {"s5.bytes_per_actor", 2000},
          {"s6.register_rps.top", 2500},
          {"s6.register_rps.bottom", 3000},
          {"overload.retry_after_share", 1},
          {"overload.p99_503_ms", 5},
          {"overload.timeouts", 0},
          {"overload.rss_growth_second_half", 1.0},
          {"s2.violations", 0}};
}

} // namespace

CAF_TEST(nothing measured means every target is not available) {
  auto all = evaluate_targets({});
  CAF_REQUIRE_EQUAL(all.size(), 10u);
  for (auto& t : all) {
    CAF_CHECK_EQUAL(t.verdict, "N/A");
    CAF_CHECK(std::isnan(t.measured));
  }
}

CAF_TEST(every target passes on good values) {
  for (auto& t : evaluate_targets(all_pass()))
    CAF_CHECK_EQUAL(t.id + " " + t.verdict, t.id + " PASS");
  auto targets = evaluate_targets(all_pass());
  CAF_CHECK_EQUAL(find(targets, "T1").measured, 0.3);
}

CAF_TEST(each input can make its target miss) {
  struct row {
    const char* key;
    double value;
    const char* target;
  };
  const row rows[] = {
    {"s1.register_rps.c64", 1999, "T1"},
    {"s3.register_rps", 17, "T2"},
    {"s2.one_id_rps.c256", 1400, "T3"},
    {"s3.healthz_p99_loaded_ms", 3.5, "T4"},
    {"s4.notify_p99_ms.idle10000", 5.1, "T5"},
    {"s4.lost.idle10000", 1, "T5"},
    {"s5.bytes_per_ws", 8193, "T6"},
    {"s5.bytes_per_actor", 2049, "T7"},
    {"s6.register_rps.top", 2399, "T8"},
    {"overload.retry_after_share", 0.99, "T9"},
    {"overload.p99_503_ms", 101, "T9"},
    {"overload.timeouts", 1, "T9"},
    {"overload.rss_growth_second_half", 1.2, "T9"},
    {"s2.violations", 1, "I1"},
  };
  for (auto& r : rows) {
    auto v = all_pass();
    v[r.key] = r.value;
    auto all = evaluate_targets(v);
    auto& t = find(all, r.target);
    CAF_CHECK_EQUAL(std::string{r.key} + " " + t.verdict,
                    std::string{r.key} + " MISS");
  }
}

CAF_TEST(a missing second input makes a target not available) {
  auto v = all_pass();
  v.erase("s4.lost.idle10000");
  v.erase("s0.healthz_rps.c64");
  auto all = evaluate_targets(v);
  CAF_CHECK_EQUAL(find(all, "T5").verdict, "N/A");
  CAF_CHECK_EQUAL(find(all, "T1").verdict, "N/A");
  v = all_pass();
  v["s3.healthz_p99_idle_ms"] = std::nan("");
  all = evaluate_targets(v);
  CAF_CHECK_EQUAL(find(all, "T4").verdict, "N/A");
}

CAF_TEST(a miss says by how much) {
  auto v = all_pass();
  v["s1.register_rps.c64"] = 1000;
  auto all = evaluate_targets(v);
  auto& t = find(all, "T1");
  CAF_CHECK_NOT_EQUAL(t.detail.find("reaches 50% of the goal 0.2"),
                      std::string::npos);
}

CAF_TEST(the report shows runs and targets and plots marked runs) {
  report r;
  r.mode = "short";
  r.started_at = "2026-12-03T10:00:00+0800";
  run_record a;
  a.scenario = "S1";
  a.label = "register <64>";
  a.mode = "closed";
  latency_histogram h;
  for (int i = 1; i <= 100; ++i)
    h.record(std::chrono::microseconds{i * 100});
  a.ok_latency = summarize(h);
  a.plot = true;
  run_record b = a;
  b.label = "not plotted";
  b.plot = false;
  r.runs = {a, b};
  r.values = all_pass();
  auto targets = evaluate_targets(r.values);
  auto svg = render_svg(r);
  CAF_CHECK_EQUAL(svg.rfind("<svg", 0), 0u);
  std::size_t lines = 0;
  for (auto at = svg.find("<polyline"); at != std::string::npos;
       at = svg.find("<polyline", at + 1))
    ++lines;
  CAF_CHECK_EQUAL(lines, 1u);
  CAF_CHECK_NOT_EQUAL(svg.find("register &lt;64&gt;"), std::string::npos);
  CAF_CHECK_EQUAL(svg.find("not plotted"), std::string::npos);
  auto text = render_text(r, targets);
  CAF_CHECK_NOT_EQUAL(text.find("not plotted"), std::string::npos);
  CAF_CHECK_NOT_EQUAL(text.find("T1  PASS"), std::string::npos);
  auto json = to_json(r, targets);
  CAF_CHECK_EQUAL(json["targets"].size(), targets.size());
  CAF_CHECK_EQUAL(json["runs"][0]["ok_latency"]["count"], 100u);
  CAF_CHECK_EQUAL(json["values"]["s2.violations"], 0.0);
}
