#define CAF_SUITE http.actor_health_e2e
#include <caf/test/unit_test.hpp>

#include <future>
#include <memory>
#include <string>
#include <thread>

#include <caf/send.hpp>

#include "tests/support/api_steps.hpp"
#include "tests/support/metrics_text.hpp"
#include "tests/support/test_service.hpp"

using namespace idclaim;
using namespace idclaim::testing;
namespace bh = boost::beast::http;

namespace {

const std::string db_depth = "idclaim_queue_depth{queue=\"db\"}";
const std::string db_oldest = "idclaim_queue_oldest_seconds{queue=\"db\"}";
const std::string claim_max = "idclaim_actor_mailbox_max{kind=\"claim\"}";
const std::string claim_oldest
  = "idclaim_actor_oldest_message_seconds{kind=\"claim\"}";

/// A storage job that holds its connection until the test lets it go, with
/// a place in the storage queue like every job the service sends.
struct stalled_storage {
  std::promise<void> started;
  std::promise<void> release;

  /// Sends the job to the service's storage and returns once it runs.
  void start(const http::api_context& ctx) {
    auto began = std::make_shared<std::promise<void>>(std::move(started));
    auto running = began->get_future();
    auto go = release.get_future().share();
    auto pass = ctx.db_gate->try_enter();
    CAF_REQUIRE(pass != nullptr);
    caf::anon_send(ctx.db, run_atom_v,
                   db_job{[began, go, pass](storage::connection&) {
                     began->set_value();
                     go.wait();
                   }});
    running.wait();
  }
};

} // namespace

CAF_TEST(
  a stalled storage queue shows its depth and oldest wait until it moves) {
  // One storage connection, so one stalled job holds up every other.
  test_service svc{[](config::settings& s) { s.db_pool_size = 1; }};
  auto& ctx = *svc.service().context();
  auto c = svc.client();
  auto rest = scrape(c).raw.body();
  CAF_CHECK_EQUAL(sample(rest, db_oldest), 0.0);
  CAF_CHECK_EQUAL(sample(rest, claim_max), 0.0);
  CAF_CHECK_EQUAL(sample(rest, claim_oldest), 0.0);
  CAF_CHECK_EQUAL(sample(rest, "idclaim_queue_oldest_seconds{queue=\"cpu\"}"),
                  0.0);

  stalled_storage stall;
  stall.start(ctx);
  // An ID check waits behind it (its claim actor's storage call).
  unsigned checked = 0;
  std::thread waiting{[&] {
    auto mine = svc.client();
    checked = call(mine, bh::verb::post, "/api/v1/id-checks",
                   {{"id_number", resident_id("11010519900307444")}})
                .status;
  }};
  // No REQUIRE until the stall ends: the waiting thread must be joined.
  CAF_CHECK(eventually([&] { return ctx.db_gate->depth() >= 2; }));
  // The scrape answers although storage does not, and shows the wait ...
  auto first = scrape(c);
  CAF_CHECK_EQUAL(first.status, 200u);
  CAF_CHECK_GREATER_OR_EQUAL(sample(first.raw.body(), db_depth), 2.0);
  auto waited = sample(first.raw.body(), db_oldest);
  CAF_CHECK_GREATER(waited, 0.0);
  // ... which grows while nothing moves.
  CAF_CHECK(eventually(
    [&] { return sample(scrape(c).raw.body(), db_oldest) > waited; }));

  stall.release.set_value();
  waiting.join();
  CAF_CHECK_EQUAL(checked, 200u);
  // Everything drains: nothing waits anywhere.
  CAF_REQUIRE(
    eventually([&] { return sample(scrape(c).raw.body(), db_depth) == 0.0; }));
  auto after = scrape(c).raw.body();
  CAF_CHECK_EQUAL(sample(after, db_oldest), 0.0);
  CAF_CHECK_EQUAL(sample(after, claim_max), 0.0);
  CAF_CHECK_EQUAL(sample(after, claim_oldest), 0.0);
}

CAF_TEST(admin actors shows mailbox maxima and oldest waits without keys) {
  test_service svc;
  auto c = svc.client();
  auto id = resident_id("11010519900307333");
  must_register(c, person{"health01"}, id);
  auto op = staff_token(svc, c, "operator", "operator01");
  auto res = call(c, bh::verb::get, "/api/v1/admin/actors", nullptr, op);
  CAF_REQUIRE_EQUAL(res.status, 200u);
  for (auto& kind : res.body["actors"]) {
    CAF_CHECK_EQUAL(kind["mailbox_max"], 0);
    CAF_CHECK_EQUAL(kind["oldest_message_seconds"], 0.0);
  }
  for (auto& queue : res.body["queues"])
    CAF_CHECK(queue["oldest_seconds"].is_number());
  // No key, ID or name of the actor with the deepest mailbox is given.
  auto body = res.body.dump();
  CAF_CHECK_EQUAL(body.find(id), std::string::npos);
  CAF_CHECK_EQUAL(body.find(id.substr(0, 6)), std::string::npos);
  CAF_CHECK_EQUAL(body.find("health01"), std::string::npos);
}
