#pragma once

#include <memory>
#include <string>

#include "storage/connection.hpp"
#include "storage/database.hpp"
#include "tests/support/test_database.hpp"
#include "tests/support/test_service.hpp"

namespace idclaim::testing {

/// A fresh, migrated database of the backend under test and one connection
/// to it, for the storage suites (which run on both backends).
struct storage_fixture {
  temp_dir dir;
  test_database tdb{dir.path() + "/t.sqlite3"};
  std::shared_ptr<storage::database> db = tdb.db();
  std::unique_ptr<storage::connection> conn;

  storage_fixture() {
    db->migrate();
    conn = db->connect();
  }

  /// The claim for `key`, created (and committed) if needed.
  storage::claim_id claim(const std::string& key) {
    conn->begin();
    auto id = conn->claims().ensure_locked(key, "cipher-" + key, 1000);
    conn->commit();
    return id;
  }

  /// A registration row for `username` on `claim`.
  static storage::new_account
  account(const std::string& username, storage::claim_id claim,
          account_status status = account_status::restricted) {
    storage::new_account a;
    a.username = username;
    a.username_key = username;
    a.password_hash = "hash-" + username;
    a.name_cipher = std::string{"name\0cipher", 11};
    a.claim = claim;
    a.status = status;
    a.now_ms = 2000;
    return a;
  }

  /// Inserts `a` in its own transaction; the id, or 0 when refused.
  account_id insert(const storage::new_account& a) {
    conn->begin();
    auto r = conn->accounts().insert(a);
    conn->commit();
    auto id = std::get_if<account_id>(&r);
    return id ? *id : 0;
  }
};

} // namespace idclaim::testing

/// Skips the test when this run has no PostgreSQL (needs the fixture's
/// `tdb` in scope): ctest registers the pg_* suites only for the PostgreSQL
/// run, and a failed requirement would abort every later suite of a full
/// run by hand.
#define REQUIRE_POSTGRES()                                                     \
  if (!tdb.postgres()) {                                                       \
    CAF_MESSAGE("SKIPPED: needs IDCLAIM_TEST_DATABASE (ctest: <suite>@pg)");   \
    return;                                                                    \
  }                                                                            \
  static_cast<void>(0)
