#define CAF_SUITE app.demo
#include <caf/test/unit_test.hpp>

#include <map>
#include <string>
#include <vector>

#include "app/commands.hpp"
#include "app/demo_seed.hpp"
#include "app/service.hpp"
#include "tests/support/test_service.hpp"

using namespace idclaim;
using namespace idclaim::testing;
namespace bh = boost::beast::http;

namespace {

/// The tables the demo fills; a second run must leave every count alone
/// (sessions and login_log too: it logs in only to take a missing step).
const std::vector<std::string> tables{
  "accounts",     "staff",           "student_records",
  "review_cases", "assist_requests", "inbox_items",
  "claim_events", "sessions",        "login_log"};

std::map<std::string, int64_t> counts(const std::string& data_dir) {
  config::settings s;
  s.data_dir = data_dir;
  auto db = app::open_database(s);
  auto conn = db->connect();
  std::map<std::string, int64_t> out;
  for (auto& t : tables)
    out[t] = conn->driver()
               .exec("SELECT count(*) FROM " + t, {})
               .rows.at(0)
               .integer(0);
  return out;
}

struct fixture {
  temp_dir dir;
  std::string data = dir.path() + "/data";
  std::vector<std::string> args{"--data-dir", data, "--password-hash", "fast"};
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(demo_tests, fixture)

CAF_TEST(a second run of demo changes nothing) {
  CAF_REQUIRE_EQUAL(app::run_demo(args), 0);
  auto first = counts(data);
  CAF_CHECK_EQUAL(first["accounts"], 4);
  CAF_CHECK_EQUAL(first["staff"], 2);
  CAF_CHECK_EQUAL(first["student_records"], 5);
  CAF_CHECK_EQUAL(first["review_cases"], 1);
  CAF_CHECK_EQUAL(first["assist_requests"], 1);
  CAF_REQUIRE_EQUAL(app::run_demo(args), 0);
  auto second = counts(data);
  for (auto& t : tables)
    CAF_CHECK_EQUAL(second[t], first[t]);
}

CAF_TEST(the demo logins show every page with content) {
  CAF_REQUIRE_EQUAL(app::run_demo(args), 0);
  config::settings s;
  s.data_dir = data;
  s.listen = "127.0.0.1:0";
  s.password_hash = "fast";
  app::service svc{s};
  svc.start();
  auto c = http_client("127.0.0.1", svc.port());
  auto token = [&c](const std::string& user) {
    auto r = call(c, bh::verb::post, "/api/v1/sessions",
                  {{"username", user}, {"password", "Demo2024pass"}});
    CAF_REQUIRE_EQUAL(r.status, 200u);
    return r.body["token"].get<std::string>();
  };
  // Every printed login works.
  for (auto& l : app::demo_logins())
    CAF_CHECK(!token(l.username).empty());
  auto me = call(c, bh::verb::get, "/api/v1/me", nullptr, token("demo_holder"));
  CAF_CHECK_EQUAL(me.body["status"], "active");
  CAF_CHECK_EQUAL(me.body["mobile_bound"], true);
  auto mine = call(c, bh::verb::get, "/api/v1/reviews/mine", nullptr,
                   token("demo_claimant"));
  CAF_CHECK_EQUAL(mine.body["items"].size(), 1u);
  CAF_CHECK_EQUAL(mine.body["items"][0]["state"], "open");
  auto inbox
    = call(c, bh::verb::get, "/api/v1/inbox", nullptr, token("demo_classmate"));
  CAF_CHECK_EQUAL(inbox.body["unread"], 1);
  CAF_CHECK_EQUAL(inbox.body["items"][0]["state"], "pending");
  auto queue = call(c, bh::verb::get, "/api/v1/admin/reviews?state=open",
                    nullptr, token("demo_reviewer"));
  CAF_CHECK_EQUAL(queue.body["items"].size(), 1u);
  auto asker
    = call(c, bh::verb::get, "/api/v1/me", nullptr, token("demo_asker"));
  CAF_CHECK_EQUAL(asker.body["status"], "restricted");
  svc.stop();
}

CAF_TEST_FIXTURE_SCOPE_END()
