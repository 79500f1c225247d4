#include "storage/sqlite_database.hpp"

#include <chrono>

#include "storage/migrations.hpp"
#include "storage/sqlite_driver.hpp"
#include "storage/sqlite_schema.hpp"

namespace idclaim::storage {

sqlite_database::sqlite_database(std::string path, std::string sync)
  : path_(std::move(path)), sync_(std::move(sync)) {
}

std::unique_ptr<connection> sqlite_database::connect() {
  return std::make_unique<connection>(
    std::make_unique<sqlite_driver>(path_, sync_));
}

std::unique_ptr<connection> sqlite_database::connect_reader() {
  return std::make_unique<connection>(
    std::make_unique<sqlite_driver>(path_, sync_, true));
}

void sqlite_database::migrate() {
  // One process owns the file, so no lock beyond SQLite's own is needed.
  sqlite_driver db{path_, sync_};
  auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
               .count();
  apply_migrations(db, sqlite_migrations(), now);
}

} // namespace idclaim::storage
