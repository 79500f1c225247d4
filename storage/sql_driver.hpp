#pragma once

#include <initializer_list>
#include <string_view>

#include "storage/sql_value.hpp"

namespace idclaim::storage {

/// One connection to a database, in that database's driver. SQLite and
/// PostgreSQL implement it; every domain query is written once, in the
/// repositories, against this interface. Used by one thread at a time (a
/// storage actor). Failures throw `storage_error`.
///
/// SQL passed here is the common subset of both dialects: parameters ?1..?N,
/// `ON CONFLICT ... DO ...`, `RETURNING`, integers for booleans.
class sql_driver {
public:
  virtual ~sql_driver() = default;

  /// Runs one statement, prepared on first use and cached by its text.
  virtual sql_result exec(std::string_view sql,
                          std::initializer_list<sql_param> params)
    = 0;

  /// Runs a script of several statements without parameters (migrations).
  virtual void exec_script(std::string_view sql) = 0;

  // -- transactions ------------------------------------------------------------

  virtual void begin() = 0;
  virtual void commit() = 0;
  /// Rolls back the open transaction; does nothing when none is open.
  virtual void rollback() = 0;
  /// Savepoints isolate one job inside a group commit.
  virtual void savepoint() = 0;
  virtual void release_savepoint() = 0;
  virtual void rollback_to_savepoint() = 0;

  // -- notifications -------------------------------------------------------------

  /// Tells other processes, at commit, that `payload` changed. PostgreSQL
  /// sends NOTIFY inside the transaction; a single-process database has no
  /// one to tell and does nothing.
  virtual void notify(std::string_view channel, std::string_view payload) = 0;

  /// Whether several processes may share this database.
  virtual bool shared() const = 0;
};

} // namespace idclaim::storage
