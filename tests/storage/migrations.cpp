#define CAF_SUITE storage.migrations
#include <caf/test/unit_test.hpp>

#include "storage/pg_schema.hpp"
#include "storage/sqlite_schema.hpp"
#include "tests/support/storage_fixture.hpp"

using namespace idclaim;
using namespace idclaim::testing;

CAF_TEST_FIXTURE_SCOPE(migrations_tests, storage_fixture)

CAF_TEST(migrating again changes nothing) {
  auto c = claim("k-mig");
  insert(account("kept", c, account_status::active));
  db->migrate();
  db->migrate();
  auto steps = tdb.postgres() ? storage::pg_migrations().size()
                              : storage::sqlite_migrations().size();
  CAF_CHECK_EQUAL(tdb.count_rows("schema_migrations"),
                  static_cast<int64_t>(steps));
  CAF_CHECK_EQUAL(tdb.count_rows("accounts"), 1);
  CAF_CHECK(conn->accounts().find_by_username("kept").has_value());
}

CAF_TEST(both backends have the same versions) {
  auto& lite = storage::sqlite_migrations();
  auto& pg = storage::pg_migrations();
  CAF_REQUIRE_EQUAL(lite.size(), pg.size());
  for (std::size_t i = 0; i < lite.size(); ++i)
    CAF_CHECK_EQUAL(lite[i].version, pg[i].version);
}

CAF_TEST(every table starts empty) {
  for (auto table :
       {"claims", "staff", "accounts", "review_cases", "review_photos",
        "assist_requests", "assist_quota", "inbox_items", "claim_events",
        "sessions", "login_log", "student_records", "sms_codes"})
    CAF_CHECK_EQUAL(tdb.count_rows(table), 0);
}

CAF_TEST_FIXTURE_SCOPE_END()
