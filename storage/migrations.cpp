#include "storage/migrations.hpp"

namespace idclaim::storage {

namespace {

constexpr std::string_view kCreateTable
  = "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER PRIMARY KEY, applied_ms BIGINT NOT NULL)";
constexpr std::string_view kApplied
  = "SELECT 1 FROM schema_migrations WHERE version = ?1";
constexpr std::string_view kRecord
  = "INSERT INTO schema_migrations(version, applied_ms) VALUES (?1, ?2)";

} // namespace

void apply_migrations(sql_driver& db, const std::vector<migration>& steps,
                      int64_t now_ms) {
  db.exec_script(kCreateTable);
  for (auto& step : steps) {
    if (!db.exec(kApplied, {int64_t{step.version}}).empty())
      continue;
    db.begin();
    try {
      db.exec_script(step.sql);
      db.exec(kRecord, {int64_t{step.version}, now_ms});
      db.commit();
    } catch (...) {
      db.rollback();
      throw;
    }
  }
}

} // namespace idclaim::storage
