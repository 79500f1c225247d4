#define CAF_SUITE metrics.registry
#include <caf/test/unit_test.hpp>

#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "metrics/registry.hpp"
#include "metrics/text_format.hpp"
#include "tests/metrics/text_check.hpp"

using namespace idclaim::metrics;
using idclaim::testing::first_bad_line;

namespace {

bool throws_invalid_argument(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const std::invalid_argument&) {
    return true;
  }
  return false;
}

} // namespace

CAF_TEST(a small registry renders exactly) {
  registry reg;
  auto& requests = reg.counter_family("idclaim_http_requests_total",
                                      "HTTP requests", {"route", "status"});
  // Created out of order: the output sorts children by label values.
  requests.with({"/api/v1/sessions", "2xx"}).inc(2);
  requests.with({"/api/v1/accounts", "4xx"}).inc();
  requests.with({"/api/v1/accounts", "2xx"}).inc(3);
  auto& sockets = reg.gauge_family("idclaim_websocket_connections",
                                   "Open WebSocket connections");
  sockets.with({}).set(5);
  sockets.with({}).dec(2);
  auto& storage
    = reg.histogram_family("idclaim_storage_call_seconds",
                           "Storage call latency", {"call"}, {0.25, 0.5, 1});
  auto& insert = storage.with({"insert_account"});
  for (double x : {0.125, 0.25, 0.75, 4.0})
    insert.observe(x);
  reg.callback_gauge_family("idclaim_review_queue_depth", "Reviews waiting")
    .with({})
    .set([] { return 7.0; });
  reg.counter_family("idclaim_actor_restarts_total", "Actor restarts",
                     {"kind"});
  reg
    .double_gauge_family("idclaim_review_oldest_age_seconds",
                         "Age of the oldest waiting review")
    .with({})
    .set(1.5);
  reg
    .callback_counter_family("idclaim_assist_total", "Assist requests",
                             {"outcome"})
    .with({"sent"})
    .set([] { return 12.0; });
  reg.double_counter_family("idclaim_cpu_seconds_total", "CPU time")
    .with({})
    .inc(0.75);
  auto expected = R"(# HELP idclaim_http_requests_total HTTP requests
# TYPE idclaim_http_requests_total counter
idclaim_http_requests_total{route="/api/v1/accounts",status="2xx"} 3
idclaim_http_requests_total{route="/api/v1/accounts",status="4xx"} 1
idclaim_http_requests_total{route="/api/v1/sessions",status="2xx"} 2
# HELP idclaim_websocket_connections Open WebSocket connections
# TYPE idclaim_websocket_connections gauge
idclaim_websocket_connections 3
# HELP idclaim_storage_call_seconds Storage call latency
# TYPE idclaim_storage_call_seconds histogram
idclaim_storage_call_seconds_bucket{call="insert_account",le="0.25"} 2
idclaim_storage_call_seconds_bucket{call="insert_account",le="0.5"} 2
idclaim_storage_call_seconds_bucket{call="insert_account",le="1"} 3
idclaim_storage_call_seconds_bucket{call="insert_account",le="+Inf"} 4
idclaim_storage_call_seconds_sum{call="insert_account"} 5.125
idclaim_storage_call_seconds_count{call="insert_account"} 4
# HELP idclaim_review_queue_depth Reviews waiting
# TYPE idclaim_review_queue_depth gauge
idclaim_review_queue_depth 7
# HELP idclaim_actor_restarts_total Actor restarts
# TYPE idclaim_actor_restarts_total counter
# HELP idclaim_review_oldest_age_seconds Age of the oldest waiting review
# TYPE idclaim_review_oldest_age_seconds gauge
idclaim_review_oldest_age_seconds 1.5
# HELP idclaim_assist_total Assist requests
# TYPE idclaim_assist_total counter
idclaim_assist_total{outcome="sent"} 12
# HELP idclaim_cpu_seconds_total CPU time
# TYPE idclaim_cpu_seconds_total counter
idclaim_cpu_seconds_total 0.75
)";
  auto text = reg.render();
  CAF_CHECK_EQUAL(text, expected);
  CAF_CHECK_EQUAL(first_bad_line(text), "");
  CAF_CHECK_EQUAL(reg.size(), 8u);
}

CAF_TEST(the content type names text format 0.0.4) {
  CAF_CHECK_EQUAL(text_content_type,
                  "text/plain; version=0.0.4; charset=utf-8");
}

CAF_TEST(help text and label values are escaped in the output) {
  registry reg;
  auto& fam
    = reg.counter_family("x_total", "first line\nsecond \\ line", {"kind"});
  fam.with({R"(say "hi" \o/)"}).inc();
  auto text = reg.render();
  CAF_CHECK_EQUAL(text, "# HELP x_total first line\\nsecond \\\\ line\n"
                        "# TYPE x_total counter\n"
                        "x_total{kind=\"say \\\"hi\\\" \\\\o/\"} 1\n");
  CAF_CHECK_EQUAL(first_bad_line(text), "");
}

CAF_TEST(bad metric and label names are refused at registration) {
  registry reg;
  CAF_CHECK(throws_invalid_argument([&] { reg.counter_family("", "h"); }));
  CAF_CHECK(
    throws_invalid_argument([&] { reg.counter_family("9_total", "h"); }));
  CAF_CHECK(throws_invalid_argument([&] { reg.gauge_family("a-b", "h", {}); }));
  CAF_CHECK(throws_invalid_argument(
    [&] { reg.gauge_family("g", "h", {"__reserved"}); }));
  CAF_CHECK(
    throws_invalid_argument([&] { reg.gauge_family("g", "h", {"a-b"}); }));
  CAF_CHECK(throws_invalid_argument([&] {
    reg.gauge_family("g", "h", {"kind", "kind"});
  }));
  CAF_CHECK(throws_invalid_argument([&] {
    reg.gauge_family("g", "h", {"a", "b", "c", "d", "e", "f", "g", "h", "i"});
  }));
  CAF_CHECK(throws_invalid_argument(
    [&] { reg.histogram_family("h_seconds", "h", {"le"}); }));
  // None of the refused families was kept.
  CAF_CHECK_EQUAL(reg.size(), 0u);
  CAF_CHECK_EQUAL(reg.render(), "");
}

CAF_TEST(a name is refused when its samples clash with another family) {
  registry reg;
  reg.counter_family("requests_total", "h");
  reg.histogram_family("latency_seconds", "h");
  CAF_CHECK(throws_invalid_argument(
    [&] { reg.gauge_family("requests_total", "again"); }));
  CAF_CHECK(throws_invalid_argument(
    [&] { reg.counter_family("latency_seconds_count", "h"); }));
  CAF_CHECK(throws_invalid_argument(
    [&] { reg.gauge_family("latency_seconds_bucket", "h"); }));
  CAF_CHECK(!throws_invalid_argument(
    [&] { reg.histogram_family("requests", "h", {}, {1}); }));
  CAF_CHECK(throws_invalid_argument(
    [&] { reg.histogram_family("requests_total", "h"); }));
  CAF_CHECK_EQUAL(reg.size(), 3u);
}

CAF_TEST(bad histogram bounds are refused at registration) {
  registry reg;
  const auto nan = std::numeric_limits<double>::quiet_NaN();
  const auto inf = std::numeric_limits<double>::infinity();
  for (std::vector<double> bad :
       {std::vector<double>{1, 1}, {2, 1}, {nan}, {-inf, 1}, {1, inf, 2}})
    CAF_CHECK(throws_invalid_argument(
      [&] { reg.histogram_family("h_seconds", "h", {}, bad); }));
  // A trailing +Inf is allowed and not written twice.
  reg.histogram_family("h_seconds", "h", {}, {1, inf}).with({}).observe(2);
  CAF_CHECK_EQUAL(reg.render(), "# HELP h_seconds h\n"
                                "# TYPE h_seconds histogram\n"
                                "h_seconds_bucket{le=\"1\"} 0\n"
                                "h_seconds_bucket{le=\"+Inf\"} 1\n"
                                "h_seconds_sum 2\n"
                                "h_seconds_count 1\n");
}

CAF_TEST(with returns the same child for the same values) {
  registry reg;
  auto& fam = reg.counter_family("c_total", "h", {"route"});
  auto& a = fam.with({"/a"});
  auto& b = fam.with({"/b"});
  CAF_CHECK(&a == &fam.with({"/a"}));
  CAF_CHECK(&b == &fam.with(std::vector<std::string>{"/b"}));
  CAF_CHECK(&a != &b);
  CAF_CHECK_EQUAL(fam.size(), 2u);
}

CAF_TEST(a wrong number of label values is refused) {
  registry reg;
  auto& fam = reg.counter_family("c_total", "h", {"route", "status"});
  CAF_CHECK(throws_invalid_argument([&] { fam.with({"/a"}); }));
  CAF_CHECK(throws_invalid_argument([&] { fam.with({"/a", "2xx", "x"}); }));
  CAF_CHECK(throws_invalid_argument([&] { fam.with({}); }));
  CAF_CHECK_EQUAL(fam.size(), 0u);
}

CAF_TEST(invalid label values become invalid) {
  registry reg;
  auto& fam = reg.counter_family("c_total", "h", {"route", "status"});
  fam.with({"/ok", "line\nbreak"}).inc();
  fam.with({"/ok", "张三"}).inc();
  fam.with({std::string(101, 'x'), "2xx"}).inc();
  // Both bad statuses land in one child; the good route is kept.
  CAF_CHECK_EQUAL(fam.size(), 2u);
  CAF_CHECK(&fam.with({"/ok", "invalid"}) == &fam.with({"/ok", "\t"}));
  auto text = reg.render();
  CAF_CHECK_EQUAL(text, "# HELP c_total h\n# TYPE c_total counter\n"
                        "c_total{route=\"/ok\",status=\"invalid\"} 2\n"
                        "c_total{route=\"invalid\",status=\"2xx\"} 1\n");
  CAF_CHECK_EQUAL(first_bad_line(text), "");
}

CAF_TEST(label tuples past the cap collapse into one other child) {
  registry reg{3};
  auto& fam = reg.counter_family("c_total", "h", {"a", "b"});
  for (auto v : {"1", "2", "3"})
    fam.with({v, "x"}).inc();
  auto& other = fam.with({"4", "x"});
  other.inc();
  fam.with({"5", "y"}).inc(10);
  CAF_CHECK(&other == &fam.with({"6", "z"}));
  CAF_CHECK(&other == &fam.with({"other", "other"}));
  // Known tuples still reach their own child once the family is full.
  fam.with({"2", "x"}).inc();
  CAF_CHECK_EQUAL(fam.size(), 4u);
  CAF_CHECK_EQUAL(reg.render(), "# HELP c_total h\n# TYPE c_total counter\n"
                                "c_total{a=\"1\",b=\"x\"} 1\n"
                                "c_total{a=\"2\",b=\"x\"} 2\n"
                                "c_total{a=\"3\",b=\"x\"} 1\n"
                                "c_total{a=\"other\",b=\"other\"} 11\n");
}

CAF_TEST(the default cap is a thousand children) {
  registry reg;
  auto& fam = reg.gauge_family("g", "h", {"n"});
  for (int i = 0; i < 1500; ++i)
    fam.with({std::to_string(i)}).inc();
  CAF_CHECK_EQUAL(fam.size(), 1001u);
  CAF_CHECK_EQUAL(fam.with({"other"}).value(), 500);
}

CAF_TEST(to_json mirrors the families for the operator page) {
  registry reg;
  reg.counter_family("c_total", "counts", {"route", "status"})
    .with({"/a", "2xx"})
    .inc(4);
  auto& h = reg.histogram_family("h_seconds", "latency", {}, {1, 2});
  h.with({}).observe(0.5);
  h.with({}).observe(1.5);
  reg.callback_gauge_family("q", "queue").with({}).set([] {
    return std::numeric_limits<double>::quiet_NaN();
  });
  auto j = reg.to_json();
  CAF_REQUIRE(j.is_array());
  CAF_REQUIRE_EQUAL(j.size(), 3u);
  CAF_CHECK_EQUAL(j[0]["name"], "c_total");
  CAF_CHECK_EQUAL(j[0]["help"], "counts");
  CAF_CHECK_EQUAL(j[0]["type"], "counter");
  CAF_CHECK(j[0]["label_names"] == nlohmann::json({"route", "status"}));
  CAF_REQUIRE_EQUAL(j[0]["children"].size(), 1u);
  CAF_CHECK(j[0]["children"][0]["labels"]
            == nlohmann::json({{"route", "/a"}, {"status", "2xx"}}));
  CAF_CHECK_EQUAL(j[0]["children"][0]["value"], 4);
  auto hv = j[1]["children"][0]["value"];
  CAF_CHECK_EQUAL(j[1]["type"], "histogram");
  CAF_CHECK(hv["bounds"] == nlohmann::json({1.0, 2.0}));
  CAF_CHECK(hv["cumulative"] == nlohmann::json({1, 2, 2}));
  CAF_CHECK(hv["sum"] == 2.0);
  CAF_CHECK_EQUAL(hv["count"], 2);
  CAF_CHECK(hv["p50"] == 1.0);
  CAF_CHECK(hv["p99"] == 1.98);
  // NaN is not JSON; nlohmann writes it as null.
  CAF_CHECK_EQUAL(j[2]["children"][0]["value"].dump(), "null");
  CAF_CHECK(nlohmann::json::parse(j.dump()).is_array());
}
