#define CAF_SUITE storage.driver
#include <caf/test/unit_test.hpp>

#include "storage/pg_driver.hpp"
#include "storage/storage_error.hpp"
#include "tests/support/storage_fixture.hpp"

using namespace idclaim;
using namespace idclaim::storage;
using namespace idclaim::testing;

namespace {

struct fixture : storage_fixture {
  sql_driver& sql = conn->driver();

  fixture() {
    sql.exec_script("CREATE TABLE t (id BIGINT PRIMARY KEY, b BYTEA, "
                    "s TEXT UNIQUE, n BIGINT CHECK (n >= 0))");
  }
};

constexpr std::string_view kInsert
  = "INSERT INTO t(id, b, s, n) VALUES (?1, ?2, ?3, ?4)";
constexpr std::string_view kGet = "SELECT id, b, s, n FROM t WHERE id = ?1";

} // namespace

CAF_TEST(placeholders become dollars outside literals and comments) {
  CAF_CHECK_EQUAL(to_pg_placeholders("SELECT ?1, ?12 FROM t WHERE a = ?2"),
                  "SELECT $1, $12 FROM t WHERE a = $2");
  CAF_CHECK_EQUAL(to_pg_placeholders("SELECT '?1', \"?2\", 'it''s ?3', ?4"),
                  "SELECT '?1', \"?2\", 'it''s ?3', $4");
  CAF_CHECK_EQUAL(to_pg_placeholders("SELECT ?1 -- ?2\n, ?3"),
                  "SELECT $1 -- ?2\n, $3");
  CAF_CHECK_EQUAL(to_pg_placeholders("SELECT a ? b"), "SELECT a ? b");
}

CAF_TEST_FIXTURE_SCOPE(driver_tests, fixture)

CAF_TEST(values come back as they went in) {
  std::string bytes{"\x00\x01\xff\\x41'\"", 8};
  sql.exec(kInsert, {int64_t{1} << 40, blob(bytes),
                     std::string_view{"王小明's"}, int64_t{0}});
  sql.exec(kInsert, {int64_t{2}, blob_or_null(""), nullptr, nullptr});
  auto one = sql.exec(kGet, {int64_t{1} << 40});
  CAF_REQUIRE_EQUAL(one.rows.size(), 1u);
  auto& r = one.rows[0];
  CAF_CHECK_EQUAL(r.integer(0), int64_t{1} << 40);
  CAF_CHECK_EQUAL(r.text(1), bytes);
  CAF_CHECK_EQUAL(r.text(2), "王小明's");
  CAF_CHECK_EQUAL(r.integer(3), 0);
  auto two = sql.exec(kGet, {int64_t{2}});
  CAF_REQUIRE_EQUAL(two.rows.size(), 1u);
  CAF_CHECK(two.rows[0].is_null(1));
  CAF_CHECK(two.rows[0].is_null(2));
  CAF_CHECK(!two.rows[0].optional_integer(3).has_value());
  CAF_CHECK(sql.exec(kGet, {int64_t{3}}).empty());
}

CAF_TEST(changes report how many rows they touched) {
  for (int64_t i = 1; i <= 3; ++i)
    CAF_CHECK_EQUAL(sql.exec(kInsert, {i, blob("x"), nullptr, i}).affected, 1);
  CAF_CHECK_EQUAL(
    sql.exec("UPDATE t SET n = n + 1 WHERE n >= ?1", {int64_t{2}}).affected, 2);
  CAF_CHECK_EQUAL(
    sql.exec("DELETE FROM t WHERE id = ?1", {int64_t{9}}).affected, 0);
  auto returning
    = sql.exec("DELETE FROM t WHERE n > ?1 RETURNING id", {int64_t{0}});
  CAF_CHECK_EQUAL(returning.rows.size(), 3u);
}

CAF_TEST(constraint failures say which constraint refused) {
  sql.exec(kInsert,
           {int64_t{1}, blob("x"), std::string_view{"same"}, int64_t{1}});
  try {
    sql.exec(kInsert,
             {int64_t{2}, blob("x"), std::string_view{"same"}, int64_t{1}});
    CAF_FAIL("the UNIQUE constraint did not refuse");
  } catch (const storage_error& e) {
    CAF_CHECK_EQUAL(e.kind(), failure_kind::unique_violation);
    CAF_CHECK(e.violates("s"));
    CAF_CHECK(!e.retryable());
    // The error text never quotes the refused value.
    CAF_CHECK_EQUAL(std::string{e.what()}.find("same"), std::string::npos);
  }
  try {
    sql.exec(kInsert, {int64_t{3}, blob("x"), nullptr, int64_t{-1}});
    CAF_FAIL("the CHECK constraint did not refuse");
  } catch (const storage_error& e) {
    CAF_CHECK_EQUAL(e.kind(), failure_kind::check_violation);
  }
  try {
    sql.exec("SELECT nonsense FROM t", {});
    CAF_FAIL("a bad statement ran");
  } catch (const storage_error& e) {
    CAF_CHECK_EQUAL(e.kind(), failure_kind::other);
  }
  // The connection keeps working after each failure.
  CAF_CHECK_EQUAL(sql.exec("SELECT count(*) FROM t", {}).rows[0].integer(0), 1);
}

CAF_TEST(a username clash names the username_key on both backends) {
  auto c = claim("k-drv");
  insert(account("same", c, account_status::active));
  insert(account("other", c));
  try {
    sql.exec("UPDATE accounts SET username_key = ?1 WHERE username_key = ?2",
             {std::string_view{"same"}, std::string_view{"other"}});
    CAF_FAIL("the UNIQUE constraint did not refuse");
  } catch (const storage_error& e) {
    CAF_CHECK_EQUAL(e.kind(), failure_kind::unique_violation);
    CAF_CHECK(e.violates("username_key"));
  }
}

CAF_TEST(a savepoint undoes one failed step and keeps the transaction) {
  sql.begin();
  sql.exec(kInsert, {int64_t{1}, blob("x"), std::string_view{"a"}, int64_t{1}});
  sql.savepoint();
  bool refused = false;
  try {
    sql.exec(kInsert,
             {int64_t{2}, blob("x"), std::string_view{"a"}, int64_t{1}});
    sql.release_savepoint();
  } catch (const storage_error& e) {
    refused = e.kind() == failure_kind::unique_violation;
    sql.rollback_to_savepoint();
  }
  sql.exec(kInsert, {int64_t{3}, blob("x"), std::string_view{"c"}, int64_t{1}});
  sql.commit();
  CAF_CHECK(refused);
  CAF_CHECK_EQUAL(sql.exec("SELECT count(*) FROM t", {}).rows[0].integer(0), 2);
}

CAF_TEST(sqlite keeps its temporary journals and sorts in memory) {
  if (tdb.postgres())
    return; // a SQLite setting; PostgreSQL has no such files here
  auto r = sql.exec("PRAGMA temp_store", {});
  CAF_REQUIRE_EQUAL(r.rows.size(), 1u);
  CAF_CHECK_EQUAL(r.rows[0].integer(0), 2); // 2 = MEMORY
}

CAF_TEST(rollback undoes the transaction and is harmless without one) {
  sql.rollback();
  sql.begin();
  sql.exec(kInsert, {int64_t{1}, blob("x"), nullptr, int64_t{1}});
  sql.rollback();
  sql.rollback();
  CAF_CHECK(sql.exec(kGet, {int64_t{1}}).empty());
}

CAF_TEST(a commit after a failed statement does not claim success) {
  sql.begin();
  sql.exec(kInsert, {int64_t{1}, blob("x"), std::string_view{"a"}, int64_t{1}});
  try {
    sql.exec(kInsert,
             {int64_t{1}, blob("x"), std::string_view{"b"}, int64_t{1}});
  } catch (const storage_error&) {
    // SQLite undoes the one statement, PostgreSQL the whole transaction.
  }
  bool committed = true;
  try {
    sql.commit();
  } catch (const storage_error&) {
    committed = false;
    sql.rollback();
  }
  auto rows = sql.exec("SELECT count(*) FROM t", {}).rows[0].integer(0);
  // Either the first insert is durable and the commit said so, or nothing
  // is and the commit failed: never a success that stored nothing.
  CAF_CHECK_EQUAL(rows, committed ? 1 : 0);
  CAF_CHECK_EQUAL(committed, !tdb.postgres());
}

CAF_TEST_FIXTURE_SCOPE_END()
