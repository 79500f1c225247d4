#define CAF_SUITE http.metrics_e2e
#include <caf/test/unit_test.hpp>

#include <string>

#include "tests/support/api_steps.hpp"
#include "tests/support/metrics_text.hpp"
#include "tests/support/test_service.hpp"

using namespace idclaim::testing;
namespace bh = boost::beast::http;

namespace {

struct fixture {
  test_service svc;
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(metrics_e2e, fixture)

CAF_TEST(metrics come in text format 0.0.4 with every family) {
  auto c = svc.client();
  auto res = scrape(c);
  CAF_REQUIRE_EQUAL(res.status, 200u);
  CAF_CHECK_EQUAL(res.raw[bh::field::content_type].substr(0, 26),
                  "text/plain; version=0.0.4;");
  auto& text = res.raw.body();
  for (auto* family :
       {"idclaim_http_requests_total counter",
        "idclaim_http_request_duration_seconds histogram",
        "idclaim_actors_live gauge", "idclaim_actor_mailbox_messages gauge",
        "idclaim_actors_started_total counter",
        "idclaim_actors_stopped_total counter", "idclaim_queue_depth gauge",
        "idclaim_queue_limit gauge", "idclaim_queue_rejected_total counter",
        "idclaim_websocket_connections gauge",
        "idclaim_review_queue_depth gauge",
        "idclaim_review_oldest_age_seconds gauge",
        "idclaim_assist_requests_total counter", "idclaim_sms_total counter",
        "idclaim_storage_call_duration_seconds histogram"}) {
    CAF_CHECK_NOT_EQUAL(text.find(std::string{"# TYPE "} + family),
                        std::string::npos);
  }
  CAF_CHECK_EQUAL(sample(text, "idclaim_queue_limit{queue=\"db\"}"),
                  svc.service().context()->settings.db_queue_limit);
  CAF_CHECK_EQUAL(sample(text, "idclaim_queue_depth{queue=\"cpu\"}"), 0.0);
}

CAF_TEST(requests are counted by route pattern never by raw path) {
  auto c = svc.client();
  CAF_REQUIRE_EQUAL(call(c, bh::verb::get, "/healthz").status, 200u);
  CAF_REQUIRE_EQUAL(call(c, bh::verb::get, "/healthz").status, 200u);
  CAF_REQUIRE_EQUAL(call(c, bh::verb::get, "/api/v1/inbox/987654321").status,
                    401u);
  CAF_REQUIRE_EQUAL(call(c, bh::verb::get, "/api/v1/no/such/24680").status, 404u);
  auto text = scrape(c).raw.body();
  CAF_CHECK_EQUAL(sample(text, "idclaim_http_requests_total{method=\"GET\","
                               "route=\"/healthz\",code=\"2xx\"}"),
                  2.0);
  CAF_CHECK_EQUAL(sample(text, "idclaim_http_requests_total{method=\"GET\","
                               "route=\"/api/v1/inbox/{id}\",code=\"4xx\"}"),
                  1.0);
  CAF_CHECK_EQUAL(sample(text, "idclaim_http_request_duration_seconds_count{"
                               "method=\"GET\",route=\"/healthz\"}"),
                  2.0);
  CAF_CHECK_EQUAL(text.find("987654321"), std::string::npos);
  CAF_CHECK_EQUAL(text.find("24680"), std::string::npos);
}

CAF_TEST(actors storage and the review queue show in the metrics) {
  auto c = svc.client();
  must_register(c, person{"metrics01"}, resident_id("11010519900307999"));
  auto text = scrape(c).raw.body();
  CAF_CHECK_GREATER_OR_EQUAL(
    sample(text, "idclaim_actors_started_total{kind=\"claim\"}"), 1.0);
  CAF_CHECK_GREATER_OR_EQUAL(
    sample(text, "idclaim_actors_live{kind=\"claim\"}"), 1.0);
  CAF_CHECK_GREATER_OR_EQUAL(
    sample(text, "idclaim_storage_call_duration_seconds_count"), 1.0);
  CAF_CHECK_EQUAL(sample(text, "idclaim_review_queue_depth"), 0.0);
  CAF_CHECK_EQUAL(sample(text, "idclaim_review_oldest_age_seconds"), 0.0);
  CAF_CHECK_EQUAL(sample(text, "idclaim_websocket_connections"), 0.0);
}

CAF_TEST(admin actors is for operators only) {
  auto c = svc.client();
  CAF_CHECK_EQUAL(call(c, bh::verb::get, "/api/v1/admin/actors").status, 401u);
  must_register(c, person{"student01"}, resident_id("11010519900307888"));
  auto student = login(c, "student01");
  CAF_CHECK_EQUAL(
    call(c, bh::verb::get, "/api/v1/admin/actors", nullptr, student).status,
    403u);
  auto reviewer = staff_token(svc, c, "reviewer", "reviewer01");
  CAF_CHECK_EQUAL(
    call(c, bh::verb::get, "/api/v1/admin/actors", nullptr, reviewer).status,
    403u);
  auto op = staff_token(svc, c, "operator", "operator01");
  auto res = call(c, bh::verb::get, "/api/v1/admin/actors", nullptr, op);
  CAF_REQUIRE_EQUAL(res.status, 200u);
  auto& actors = res.body["actors"];
  CAF_REQUIRE_EQUAL(actors.size(), 2u);
  CAF_CHECK_EQUAL(actors[0]["kind"], "claim");
  CAF_CHECK_GREATER_OR_EQUAL(actors[0]["started"].get<int>(), 1);
  CAF_CHECK_EQUAL(actors[1]["kind"], "account");
  CAF_CHECK(actors[1].contains("mailbox_messages"));
  auto& queues = res.body["queues"];
  CAF_REQUIRE_EQUAL(queues.size(), 2u);
  CAF_CHECK_EQUAL(queues[0]["name"], "db");
  CAF_CHECK_EQUAL(queues[0]["limit"].get<std::size_t>(),
                  svc.service().context()->settings.db_queue_limit);
  CAF_CHECK_EQUAL(queues[1]["name"], "cpu");
  CAF_CHECK_EQUAL(res.body["websocket_connections"], 0);
}

CAF_TEST(the grafana dashboard uses only metrics the service exports) {
  auto c = svc.client();
  auto text = scrape(c).raw.body();
  auto dashboard = read_file(std::string{IDCLAIM_SOURCE_DIR}
                             + "/docs/grafana-dashboard.json");
  int used = 0;
  for (auto at = dashboard.find("idclaim_"); at != std::string::npos;
       at = dashboard.find("idclaim_", at + 1)) {
    auto end = dashboard.find_first_not_of("abcdefghijklmnopqrstuvwxyz_", at);
    auto name = dashboard.substr(at, end - at);
    for (auto* suffix : {"_bucket", "_sum", "_count"}) {
      std::string s{suffix};
      if (name.size() > s.size()
          && name.compare(name.size() - s.size(), s.size(), s) == 0)
        name.resize(name.size() - s.size());
    }
    used += 1;
    auto exported = text.find("# TYPE " + name + " ") != std::string::npos;
    if (!exported)
      CAF_MESSAGE("not exported: " << name);
    CAF_CHECK(exported);
  }
  CAF_CHECK_GREATER(used, 10);
}

CAF_TEST_FIXTURE_SCOPE_END()
