#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace idclaim::storage {

/// Throws the storage_error for SQLite result `code` (an extended code) on
/// `db`, with its kind and the constraint SQLite named.
[[noreturn]] void throw_sqlite_error(sqlite3* db, int code,
                                     std::string_view what);

/// A prepared SQLite statement, reset after each use. Binding is positional
/// (1-based); text and blobs are copied by SQLite (SQLITE_TRANSIENT).
class sqlite_statement {
public:
  sqlite_statement(sqlite3* db, std::string_view sql);
  ~sqlite_statement();
  sqlite_statement(const sqlite_statement&) = delete;
  sqlite_statement& operator=(const sqlite_statement&) = delete;

  sqlite_statement& bind(int i, int64_t v);
  sqlite_statement& bind_text(int i, std::string_view v);
  sqlite_statement& bind_blob(int i, std::string_view v);
  sqlite_statement& bind_null(int i);
  /// Binds a blob, or NULL when `v` is empty.
  sqlite_statement& bind_blob_or_null(int i, std::string_view v);

  /// Advances to the next row; false when done. Throws storage_error.
  bool step();

  /// Runs to completion (for statements that return no rows).
  void run();

  /// The extended result code of the last step (for constraint mapping).
  int last_code() const { return last_code_; }

  int64_t column_int(int i) const;
  std::string column_text(int i) const;
  std::string column_blob(int i) const;
  bool column_is_null(int i) const;
  int column_count() const;

  /// Clears bindings and resets so the statement can run again.
  void reset();

private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int last_code_ = 0;
};

} // namespace idclaim::storage
