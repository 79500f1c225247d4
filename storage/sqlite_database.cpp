#include "storage/sqlite_database.hpp"

#include <sqlite3.h>

#include "storage/sqlite_connection.hpp"
#include "storage/sqlite_schema.hpp"
#include "storage/sqlite_statement.hpp"
#include "storage/storage_error.hpp"

namespace idclaim::storage {

sqlite_database::sqlite_database(std::string path, std::string sync)
  : path_(std::move(path)), sync_(std::move(sync)) {
}

std::unique_ptr<connection> sqlite_database::connect() {
  return std::make_unique<sqlite_connection>(path_, sync_);
}

void sqlite_database::migrate() {
  auto db = open_sqlite_file(path_, sync_);
  try {
    sqlite_exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
             "version INTEGER PRIMARY KEY, applied_ms INTEGER NOT NULL)");
    for (auto& m : sqlite_migrations()) {
      sqlite_statement q(db, "SELECT 1 FROM schema_migrations WHERE version = ?1");
      q.bind(1, m.version);
      if (q.step())
        continue;
      sqlite_exec(db, "BEGIN IMMEDIATE");
      sqlite_exec(db, m.sql);
      sqlite_exec(db, "INSERT INTO schema_migrations(version, applied_ms) VALUES ("
                 + std::to_string(m.version)
                 + ", CAST(strftime('%s','now') AS INTEGER) * 1000)");
      sqlite_exec(db, "COMMIT");
    }
  } catch (...) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    throw;
  }
  sqlite3_close(db);
}

} // namespace idclaim::storage
