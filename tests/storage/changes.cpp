#define CAF_SUITE storage.changes
#include <caf/test/unit_test.hpp>

#include "tests/support/storage_fixture.hpp"

using namespace idclaim;
using namespace idclaim::testing;

namespace {

struct fixture : storage_fixture {
  account_id someone = insert(account("someone", claim("k-someone"),
                                      account_status::active));

  void add_item() {
    conn->inbox().add(someone, storage::inbox_kind::assist_declined,
                      std::nullopt, std::nullopt, "", 3000);
  }
};

} // namespace

/// The counts exist only on SQLite (see connection::inbox_changed).
#define REQUIRE_SQLITE_COUNTS()                                                \
  if (tdb.postgres()) {                                                        \
    CAF_MESSAGE("SKIPPED: PostgreSQL takes no counts");                        \
    return;                                                                    \
  }                                                                            \
  static_cast<void>(0)

CAF_TEST_FIXTURE_SCOPE(changes_tests, fixture)

CAF_TEST(an inbox change carries the unread count of its transaction) {
  conn->begin();
  add_item();
  add_item();
  conn->inbox_changed(someone);
  auto changes = conn->take_changes();
  conn->commit();
  CAF_REQUIRE_EQUAL(changes.size(), 1u);
  CAF_CHECK_EQUAL(changes[0].id, someone);
  if (tdb.postgres()) {
    // Several writers: a count taken inside one transaction can miss
    // another's item, so the live page reads afresh.
    CAF_CHECK(!changes[0].unread.has_value());
  } else {
    CAF_REQUIRE(changes[0].unread.has_value());
    CAF_CHECK_EQUAL(*changes[0].unread, 2);
  }
}

CAF_TEST(a later count of the same job replaces the earlier one) {
  REQUIRE_SQLITE_COUNTS();
  conn->begin();
  add_item();
  conn->inbox_changed(someone);
  add_item();
  conn->inbox_changed(someone);
  auto changes = conn->take_changes();
  conn->commit();
  CAF_REQUIRE_EQUAL(changes.size(), 1u);
  CAF_REQUIRE(changes[0].unread.has_value());
  CAF_CHECK_EQUAL(*changes[0].unread, 2);
}

CAF_TEST(any other change of the account needs a fresh read) {
  conn->begin();
  add_item();
  conn->inbox_changed(someone);
  conn->account_changed(someone);
  conn->inbox_changed(someone);
  auto changes = conn->take_changes();
  conn->commit();
  CAF_REQUIRE_EQUAL(changes.size(), 1u);
  CAF_CHECK(!changes[0].unread.has_value());
  // take_changed still lists the ids alone, and both forms drain.
  conn->inbox_changed(someone);
  auto ids = conn->take_changed();
  CAF_CHECK_EQUAL(ids, (std::vector<account_id>{someone}));
  CAF_CHECK(conn->take_changes().empty());
}

CAF_TEST_FIXTURE_SCOPE_END()
