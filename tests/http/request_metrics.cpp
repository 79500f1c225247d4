#define CAF_SUITE http.request_metrics
#include <caf/test/unit_test.hpp>

#include <chrono>
#include <memory>
#include <string>

#include "http/request_metrics.hpp"

using namespace idclaim;
namespace bh = boost::beast::http;

namespace {

struct fixture {
  std::shared_ptr<metrics::registry> reg
    = std::make_shared<metrics::registry>();
  http::router routes;
  std::unique_ptr<http::request_metrics> requests;

  fixture() {
    auto none = [](http::request_ptr, http::reply_fn) {};
    routes.add(bh::verb::get, "/api/v1/inbox/{id}", none);
    routes.add(bh::verb::post, "/api/v1/accounts", none);
    requests = std::make_unique<http::request_metrics>(reg, routes);
  }

  bool has(const std::string& line) const {
    return reg->render().find(line) != std::string::npos;
  }
};

constexpr auto ms = std::chrono::milliseconds{3};

} // namespace

CAF_TEST_FIXTURE_SCOPE(request_metrics_tests, fixture)

CAF_TEST(requests count by method route pattern and status class) {
  requests->record("GET", "/api/v1/inbox/{id}", 200, ms);
  requests->record("GET", "/api/v1/inbox/{id}", 204, ms);
  requests->record("GET", "/api/v1/inbox/{id}", 404, ms);
  requests->record("POST", "/api/v1/accounts", 503, ms);
  CAF_CHECK(has("idclaim_http_requests_total{method=\"GET\",route=\"/api/v1/"
                "inbox/{id}\",code=\"2xx\"} 2\n"));
  CAF_CHECK(has("idclaim_http_requests_total{method=\"GET\",route=\"/api/v1/"
                "inbox/{id}\",code=\"4xx\"} 1\n"));
  CAF_CHECK(has("idclaim_http_requests_total{method=\"POST\",route=\"/api/"
                "v1/accounts\",code=\"5xx\"} 1\n"));
}

CAF_TEST(latency is observed per method and route) {
  requests->record("GET", "/api/v1/inbox/{id}", 200, ms);
  CAF_CHECK(has("idclaim_http_request_duration_seconds_count{method=\"GET\","
                "route=\"/api/v1/inbox/{id}\"} 1\n"));
  CAF_CHECK(has("idclaim_http_request_duration_seconds_sum{method=\"GET\","
                "route=\"/api/v1/inbox/{id}\"} 0.003\n"));
}

CAF_TEST(unknown methods and routes never become label values) {
  requests->record("BREW", "/api/v1/inbox/{id}", 400, ms);
  requests->record("GET", "/api/v1/inbox/110105199001011234", 404, ms);
  requests->record("GET", "-", 404, ms);
  auto text = reg->render();
  CAF_CHECK_EQUAL(text.find("BREW"), std::string::npos);
  CAF_CHECK_EQUAL(text.find("110105199001011234"), std::string::npos);
  CAF_CHECK(has("idclaim_http_requests_total{method=\"other\",route=\"-\","
                "code=\"4xx\"} 2\n"));
  CAF_CHECK(has("idclaim_http_requests_total{method=\"GET\",route=\"-\","
                "code=\"4xx\"} 1\n"));
}

CAF_TEST(odd status codes count as other) {
  requests->record("POST", "/api/v1/accounts", 99, ms);
  requests->record("POST", "/api/v1/accounts", 600, ms);
  CAF_CHECK(has("idclaim_http_requests_total{method=\"POST\",route=\"/api/"
                "v1/accounts\",code=\"other\"} 2\n"));
}

CAF_TEST(a long route does not overflow the lookup) {
  std::string route(500, 'x');
  requests->record("GET", route, 200, ms);
  CAF_CHECK(has("idclaim_http_requests_total{method=\"other\",route=\"-\","
                "code=\"2xx\"} 1\n"));
}

CAF_TEST_FIXTURE_SCOPE_END()
