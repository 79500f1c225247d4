#include "storage/pg_database.hpp"

#include <chrono>

#include "storage/migrations.hpp"
#include "storage/pg_schema.hpp"
#include "storage/storage_error.hpp"

namespace idclaim::storage {

namespace {

/// The advisory lock key that serialises migrations: "idclaim" in ASCII.
constexpr int64_t migration_lock = 0x6964636c61696d;

constexpr std::string_view kLock = "SELECT pg_advisory_lock(?1)";
constexpr std::string_view kUnlock = "SELECT pg_advisory_unlock(?1)";

} // namespace

pg_database::pg_database(pg_options options) : options_(std::move(options)) {}

std::unique_ptr<connection> pg_database::connect() {
  return std::make_unique<connection>(std::make_unique<pg_driver>(options_));
}

std::unique_ptr<connection> pg_database::connect_reader() {
  return connect();
}

void pg_database::migrate() {
  // A schema step may build indexes for a long time, and the processes
  // behind the lock wait for it: no statement timeout here.
  auto options = options_;
  options.statement_timeout_ms = 0;
  pg_driver db{options};
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
               .count();
  db.exec(kLock, {migration_lock});
  try {
    apply_migrations(db, pg_migrations(), now);
  } catch (...) {
    try {
      db.exec(kUnlock, {migration_lock});
    } catch (const storage_error&) {
      // Closing the connection releases the lock as well.
    }
    throw;
  }
  db.exec(kUnlock, {migration_lock});
}

bool is_postgres_url(const std::string& database) {
  return database.rfind("postgresql://", 0) == 0
         || database.rfind("postgres://", 0) == 0;
}

} // namespace idclaim::storage
