#include "storage/sqlite_statement.hpp"

#include <sqlite3.h>

#include "storage/storage_error.hpp"

namespace idclaim::storage {

namespace {

[[noreturn]] void fail(sqlite3* db, int code, std::string_view what) {
  bool busy = code == SQLITE_BUSY || code == SQLITE_LOCKED;
  throw storage_error(std::string{what} + ": " + sqlite3_errstr(code) + " ("
                        + sqlite3_errmsg(db) + ")",
                      busy);
}

} // namespace

sqlite_statement::sqlite_statement(sqlite3* db, std::string_view sql)
  : db_(db) {
  auto rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                               SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  if (rc != SQLITE_OK)
    fail(db, rc, "prepare");
}

sqlite_statement::~sqlite_statement() {
  sqlite3_finalize(stmt_);
}

sqlite_statement& sqlite_statement::bind(int i, int64_t v) {
  sqlite3_bind_int64(stmt_, i, v);
  return *this;
}

sqlite_statement& sqlite_statement::bind_text(int i, std::string_view v) {
  sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()),
                    SQLITE_TRANSIENT);
  return *this;
}

sqlite_statement& sqlite_statement::bind_blob(int i, std::string_view v) {
  sqlite3_bind_blob(stmt_, i, v.data(), static_cast<int>(v.size()),
                    SQLITE_TRANSIENT);
  return *this;
}

sqlite_statement& sqlite_statement::bind_null(int i) {
  sqlite3_bind_null(stmt_, i);
  return *this;
}

sqlite_statement& sqlite_statement::bind_blob_or_null(int i,
                                                      std::string_view v) {
  return v.empty() ? bind_null(i) : bind_blob(i, v);
}

bool sqlite_statement::step() {
  last_code_ = sqlite3_step(stmt_);
  if (last_code_ == SQLITE_ROW)
    return true;
  if (last_code_ == SQLITE_DONE)
    return false;
  auto code = last_code_;
  reset();
  last_code_ = code;
  fail(db_, code, "step");
}

void sqlite_statement::run() {
  while (step()) {
    // Drain rows; callers use run() for statements without results.
  }
}

int64_t sqlite_statement::column_int(int i) const {
  return sqlite3_column_int64(stmt_, i);
}

std::string sqlite_statement::column_text(int i) const {
  auto p = sqlite3_column_text(stmt_, i);
  auto n = sqlite3_column_bytes(stmt_, i);
  return p ? std::string(reinterpret_cast<const char*>(p),
                         static_cast<size_t>(n))
           : std::string{};
}

std::string sqlite_statement::column_blob(int i) const {
  auto p = sqlite3_column_blob(stmt_, i);
  auto n = sqlite3_column_bytes(stmt_, i);
  return p ? std::string(static_cast<const char*>(p), static_cast<size_t>(n))
           : std::string{};
}

bool sqlite_statement::column_is_null(int i) const {
  return sqlite3_column_type(stmt_, i) == SQLITE_NULL;
}

void sqlite_statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

} // namespace idclaim::storage
