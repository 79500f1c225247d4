#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "storage/database.hpp"

namespace idclaim::testing {

/// The PostgreSQL server the tests run against, or "" to use SQLite. Set by
/// ctest for the `<suite>@pg` runs: IDCLAIM_TEST_DATABASE holds a server URL
/// (postgresql://user@host:port/db), or IDCLAIM_TEST_DATABASE_URL_FILE names
/// a file holding one (scripts/pg-test-server.sh writes DIR/url).
std::string test_server_url();

/// Whether this run tests the PostgreSQL backend.
inline bool testing_postgres() {
  return !test_server_url().empty();
}

/// `url` with its database name replaced by `name`.
std::string with_database_name(const std::string& url, const std::string& name);

/// A fresh, empty database of the backend under test: a SQLite file, or a
/// new database `idclaim_t_<random>` on the test server, dropped (with any
/// connection still open to it) at the end. Not migrated: call
/// `db()->migrate()`, or hand `url()` to a service that migrates.
class test_database {
public:
  /// For SQLite, the database is the file at `sqlite_path` (created by
  /// whoever opens it first).
  explicit test_database(std::string sqlite_path);
  ~test_database();
  test_database(const test_database&) = delete;
  test_database& operator=(const test_database&) = delete;

  bool postgres() const { return !url_.empty(); }

  /// The `--database` setting for this database: "" for SQLite.
  const std::string& url() const { return url_; }

  /// The storage of this database, as the service would open it.
  std::shared_ptr<storage::database> db() const { return db_; }

  /// The rows in `table` (a name from the schema), counted through a
  /// storage connection.
  int64_t count_rows(const std::string& table) const;

  /// Every value of every table, concatenated as stored (bytes as raw
  /// bytes), for scans that must not find personal data in the database.
  std::string dump() const;

private:
  std::string url_;
  std::string name_;
  std::shared_ptr<storage::database> db_;
};

} // namespace idclaim::testing
