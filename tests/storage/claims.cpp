#define CAF_SUITE storage.claims
#include <caf/test/unit_test.hpp>

#include "tests/support/storage_fixture.hpp"

using namespace idclaim;
using namespace idclaim::testing;

CAF_TEST_FIXTURE_SCOPE(claims_tests, storage_fixture)

CAF_TEST(ensure_locked twice gives the same claim) {
  std::string key{"\x00\xffkey", 5};
  conn->begin();
  auto first = conn->claims().ensure_locked(key, "cipher-a", 10);
  auto again = conn->claims().ensure_locked(key, "cipher-b", 20);
  conn->commit();
  CAF_CHECK_EQUAL(first, again);
  CAF_CHECK_EQUAL(conn->claims().find(key),
                  std::optional<storage::claim_id>{first});
  CAF_CHECK_EQUAL(conn->claims().key_of(first), key);
  // The first writer's cipher stays.
  CAF_CHECK_EQUAL(conn->claims().id_cipher(first),
                  std::optional<std::string>{"cipher-a"});
  auto other = claim("another");
  CAF_CHECK_NOT_EQUAL(other, first);
  CAF_CHECK(!conn->claims().find("missing").has_value());
  CAF_CHECK_EQUAL(conn->claims().key_of(other + 100), "");
}

CAF_TEST(the state counts holder claimants and open reviews) {
  auto c = claim("k-state");
  auto empty = conn->claims().state(c);
  CAF_CHECK(!empty.holder.has_value());
  CAF_CHECK_EQUAL(empty.claimants, 0);
  auto holder = insert(account("holder", c, account_status::active));
  auto claimant = insert(account("claimant", c));
  insert(account("claimant2", c));
  conn->begin();
  conn->driver().exec("INSERT INTO review_cases(claim_id, account_id, state, "
                      "submitted_ms) VALUES (?1, ?2, 'open', 1)",
                      {c, claimant});
  conn->commit();
  auto s = conn->claims().state(c);
  CAF_CHECK_EQUAL(s.holder, std::optional<account_id>{holder});
  CAF_CHECK_EQUAL(s.claimants, 2);
  CAF_CHECK_EQUAL(s.open_reviews, 1);
}

CAF_TEST(events come back in the order they were appended) {
  auto c = claim("k-events");
  auto a = insert(account("ev", c, account_status::active));
  conn->begin();
  conn->claims().append_event(
    {0, c, 30, "registered_holder", a, std::nullopt, ""});
  conn->claims().append_event(
    {0, c, 10, "review_opened", std::nullopt, 7, "detail"});
  conn->claims().append_event({0, c, 20, "resolved", a, 7, "x"});
  conn->commit();
  auto events = conn->claims().events(c);
  CAF_REQUIRE_EQUAL(events.size(), 3u);
  CAF_CHECK_EQUAL(events[0].kind, "registered_holder");
  CAF_CHECK_EQUAL(events[0].account, std::optional<account_id>{a});
  CAF_CHECK(!events[0].staff.has_value());
  CAF_CHECK_EQUAL(events[1].kind, "review_opened");
  CAF_CHECK(!events[1].account.has_value());
  CAF_CHECK_EQUAL(events[1].staff, std::optional<int64_t>{7});
  CAF_CHECK_EQUAL(events[1].detail, "detail");
  CAF_CHECK_EQUAL(events[2].kind, "resolved");
  CAF_CHECK_EQUAL(events[2].at_ms, 20);
  CAF_CHECK(events[0].id < events[1].id && events[1].id < events[2].id);
  CAF_CHECK(conn->claims().events(c + 1).empty());
}

CAF_TEST_FIXTURE_SCOPE_END()
