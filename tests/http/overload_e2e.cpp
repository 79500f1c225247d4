#define CAF_SUITE http.overload_e2e
#include <caf/test/unit_test.hpp>

#include <atomic>
#include <string>

#include "tests/support/api_steps.hpp"
#include "tests/support/concurrently.hpp"
#include "tests/support/metrics_text.hpp"
#include "tests/support/test_service.hpp"

using namespace idclaim::testing;
namespace bh = boost::beast::http;

namespace {

/// Whether `r` is the overload answer: 503 UNAVAILABLE with Retry-After.
bool is_overload(const json_reply& r) {
  return r.status == 503 && r.error_code() == "UNAVAILABLE"
         && r.raw[bh::field::retry_after] == "1";
}

} // namespace

CAF_TEST(a full storage queue answers 503 with Retry - After at once) {
  test_service svc{[](idclaim::config::settings& s) { s.db_queue_limit = 0; }};
  auto c = svc.client();
  auto id = resident_id("11010519900307777");
  // Through the HTTP layer's storage calls ...
  CAF_CHECK(
    is_overload(call(c, bh::verb::post, "/api/v1/sessions",
                     {{"username", "nobody01"}, {"password", "Passw0rd-x1"}})));
  // ... and through the claim actor's.
  CAF_CHECK(is_overload(
    call(c, bh::verb::post, "/api/v1/id-checks", {{"id_number", id}})));
  CAF_CHECK(is_overload(register_person(c, person{"overload1"}, id)));
  // The metrics still answer, and show the refusals.
  auto res = scrape(c);
  CAF_REQUIRE_EQUAL(res.status, 200u);
  CAF_CHECK_GREATER_OR_EQUAL(
    sample(res.raw.body(), "idclaim_queue_rejected_total{queue=\"db\"}"), 3.0);
  CAF_CHECK_EQUAL(sample(res.raw.body(), "idclaim_queue_depth{queue=\"db\"}"),
                  0.0);
}

CAF_TEST(a full password hash queue answers 503 with Retry - After) {
  test_service svc{
    [](idclaim::config::settings& s) { s.hash_queue_limit = 0; }};
  auto c = svc.client();
  CAF_CHECK(is_overload(
    register_person(c, person{"overload2"}, resident_id("11010519900307666"))));
  auto text = scrape(c).raw.body();
  CAF_CHECK_EQUAL(sample(text, "idclaim_queue_rejected_total{queue=\"cpu\"}"),
                  1.0);
}

CAF_TEST(a tiny storage bound serves or refuses every request and frees) {
  test_service svc{[](idclaim::config::settings& s) { s.db_queue_limit = 1; }};
  auto c = svc.client();
  // One at a time the bound is never reached.
  must_register(c, person{"tinybound"}, resident_id("11010519900307555"));
  auto token = login(c, "tinybound");
  std::atomic<int> served{0};
  std::atomic<int> refused{0};
  std::atomic<int> other{0};
  concurrently(24, [&](int) {
    auto mine = svc.client();
    auto r = call(mine, bh::verb::get, "/api/v1/me", nullptr, token);
    if (r.status == 200)
      served += 1;
    else if (is_overload(r))
      refused += 1;
    else
      other += 1;
  });
  CAF_CHECK_EQUAL(other.load(), 0);
  CAF_CHECK_GREATER_OR_EQUAL(served.load(), 1);
  CAF_CHECK_EQUAL(served.load() + refused.load(), 24);
  // Every place came back: a request now is served again.
  CAF_CHECK_EQUAL(call(c, bh::verb::get, "/api/v1/me", nullptr, token).status,
                  200u);
  auto text = scrape(c).raw.body();
  CAF_CHECK_EQUAL(sample(text, "idclaim_queue_rejected_total{queue=\"db\"}"),
                  static_cast<double>(refused.load()));
}
