#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "storage/sql_driver.hpp"

namespace idclaim::storage {

/// How to reach a PostgreSQL server and how long a statement may run.
struct pg_options {
  std::string url;                     ///< postgresql://user@host:port/db
  int64_t statement_timeout_ms = 5000; ///< 0: no limit (migrations)
  /// A transaction left idle longer than this is ended by the server, so
  /// a stuck worker cannot hold a claim's row lock for ever.
  int64_t idle_in_transaction_timeout_ms = 60000;
};

/// Rewrites the ?1..?N parameters of the common SQL subset into
/// PostgreSQL's $1..$N, leaving string literals and quoted names alone.
std::string to_pg_placeholders(std::string_view sql);

/// The PostgreSQL implementation of `sql_driver`, on libpqxx: one server
/// connection (opened on first use and again after it broke), statements
/// prepared once per connection and cached by their SQL text, parameters
/// sent as text (bytes as `\x` hex), bytea columns decoded to raw bytes.
///
/// Transactions are plain BEGIN/COMMIT/SAVEPOINT statements sent through one
/// long-lived `pqxx::nontransaction`, not pqxx's transaction objects: the
/// interface is flat (begin, savepoint, commit as separate calls, as in the
/// SQLite driver), the SQL is the same text on both backends, and a failed
/// statement leaves the nontransaction usable, so the caller decides whether
/// to roll back to the savepoint or the whole transaction.
///
/// Errors become `storage_error`s: unique and check violations carry the
/// constraint name (and, for unique ones, the key columns, so that a needle
/// like "username_key" matches on both backends); serialization failures
/// and deadlocks are `serialization`; a broken connection is
/// `connection_lost` and is reopened on next use, except during COMMIT,
/// whose outcome is then unknown (`other`: never retry it blindly). Texts
/// keep only the server's primary message, never its DETAIL (which quotes
/// row values).
class pg_driver final : public sql_driver {
public:
  /// Does not connect yet: the first statement does.
  explicit pg_driver(pg_options options);
  ~pg_driver() override;

  sql_result exec(std::string_view sql,
                  std::initializer_list<sql_param> params) override;
  void exec_script(std::string_view sql) override;

  void begin() override;
  void commit() override;
  void rollback() override;
  void savepoint() override;
  void release_savepoint() override;
  void rollback_to_savepoint() override;

  /// `SELECT pg_notify(channel, payload)` inside the open transaction:
  /// listeners hear it when (and only if) the transaction commits.
  void notify(std::string_view channel, std::string_view payload) override;

  bool shared() const override { return true; }

  /// The server process serving this connection (connects if needed), so
  /// that tests can watch it in pg_stat_activity.
  int64_t backend_pid();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace idclaim::storage
