#include "storage/sqlite_statement.hpp"

#include <sqlite3.h>

#include "storage/storage_error.hpp"

namespace idclaim::storage {

namespace {

failure_kind kind_of(int code) {
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return failure_kind::busy;
    case SQLITE_CONSTRAINT:
      if (code == SQLITE_CONSTRAINT_UNIQUE
          || code == SQLITE_CONSTRAINT_PRIMARYKEY)
        return failure_kind::unique_violation;
      if (code == SQLITE_CONSTRAINT_CHECK)
        return failure_kind::check_violation;
      return failure_kind::other;
    default:
      return failure_kind::other;
  }
}

} // namespace

void throw_sqlite_error(sqlite3* db, int code, std::string_view what) {
  std::string message = sqlite3_errmsg(db);
  // "UNIQUE constraint failed: accounts.username_key" names the columns.
  std::string constraint;
  if (auto colon = message.find(": "); colon != std::string::npos)
    constraint = message.substr(colon + 2);
  throw storage_error(std::string{what} + ": " + message, kind_of(code),
                      constraint);
}

sqlite_statement::sqlite_statement(sqlite3* db, std::string_view sql)
  : db_(db) {
  auto rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                               SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  if (rc != SQLITE_OK)
    throw_sqlite_error(db, sqlite3_extended_errcode(db), "prepare");
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
  auto code = sqlite3_extended_errcode(db_);
  // Read the message before reset() replaces it.
  try {
    throw_sqlite_error(db_, code, "step");
  } catch (...) {
    reset();
    last_code_ = code;
    throw;
  }
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

int sqlite_statement::column_count() const {
  return sqlite3_column_count(stmt_);
}

bool sqlite_statement::column_is_null(int i) const {
  return sqlite3_column_type(stmt_, i) == SQLITE_NULL;
}

void sqlite_statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

} // namespace idclaim::storage
