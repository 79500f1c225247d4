#define CAF_SUITE storage.login_log
#include <caf/test/unit_test.hpp>

#include "tests/support/storage_fixture.hpp"

using namespace idclaim;
using namespace idclaim::testing;
using storage::login_row;

namespace {

struct fixture : storage_fixture {
  account_id user = 0;

  fixture() {
    user = insert(account("logger", claim("k-log"), account_status::active));
  }

  void log(std::optional<account_id> who, int64_t at, bool ok,
           const std::string& ip = "10.0.0.1") {
    conn->begin();
    conn->login_log().append({0, who, at, ip, "curl", ok});
    conn->commit();
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(login_log_tests, fixture)

CAF_TEST(pages go newest first and continue before an id) {
  for (int i = 1; i <= 5; ++i)
    log(user, i * 100, i % 2 == 1);
  log(std::nullopt, 600, false);
  auto first = conn->login_log().page(user, 0, 2);
  CAF_REQUIRE_EQUAL(first.size(), 2u);
  CAF_CHECK_EQUAL(first[0].at_ms, 500);
  CAF_CHECK_EQUAL(first[1].at_ms, 400);
  CAF_CHECK(first[0].success);
  CAF_CHECK(!first[1].success);
  CAF_CHECK_EQUAL(first[0].ip, "10.0.0.1");
  CAF_CHECK_EQUAL(first[0].client, "curl");
  CAF_CHECK_EQUAL(first[0].account, std::optional<account_id>{user});
  auto next = conn->login_log().page(user, first[1].id, 10);
  CAF_REQUIRE_EQUAL(next.size(), 3u);
  CAF_CHECK_EQUAL(next[0].at_ms, 300);
  CAF_CHECK_EQUAL(next[2].at_ms, 100);
  CAF_CHECK(conn->login_log().page(user, next[2].id, 10).empty());
}

CAF_TEST(failures count since the last success and per address) {
  log(user, 100, false);
  log(user, 200, true);
  log(user, 300, false);
  log(user, 400, false, "10.0.0.2");
  log(std::nullopt, 450, false, "10.0.0.2");
  CAF_CHECK_EQUAL(conn->login_log().failures_since(user, 0), 2);
  CAF_CHECK_EQUAL(conn->login_log().failures_since(user, 350), 1);
  CAF_CHECK_EQUAL(conn->login_log().failures_from_ip("10.0.0.2", 0), 2);
  CAF_CHECK_EQUAL(conn->login_log().failures_from_ip("10.0.0.2", 420), 1);
  CAF_CHECK_EQUAL(conn->login_log().failures_from_ip("10.0.0.9", 0), 0);
}

CAF_TEST_FIXTURE_SCOPE_END()
