#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "domain/account.hpp"
#include "storage/records.hpp"

namespace idclaim::storage {

/// One database connection, used by one thread at a time (a storage actor).
/// SQLite and PostgreSQL implement it; no driver type crosses this line.
/// Unexpected failures throw `storage_error`; constraint outcomes the domain
/// cares about are returned as values.
class connection {
public:
  virtual ~connection() = default;

  // -- transactions ------------------------------------------------------------

  virtual void begin() = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;
  /// Savepoints isolate one job inside a group commit.
  virtual void savepoint() = 0;
  virtual void release_savepoint() = 0;
  virtual void rollback_to_savepoint() = 0;

  // -- claims ------------------------------------------------------------------

  /// Creates the claim row if missing (it keeps the sealed ID number).
  virtual void ensure_claim(const std::string& claim_key,
                            const std::string& id_cipher, int64_t now_ms)
    = 0;

  /// Reads the claim's state. Inside a transaction PostgreSQL locks the
  /// claim row, so deciding and writing are one serial step per claim.
  virtual claim_state load_claim(const std::string& claim_key) = 0;

  /// The sealed ID number of a claim.
  virtual std::optional<std::string> claim_id_cipher(const std::string& key)
    = 0;

  /// Appends to the claim's history (who did what, when).
  virtual void append_claim_event(const std::string& claim_key, int64_t at_ms,
                                  std::string_view kind,
                                  std::optional<account_id> actor,
                                  std::string_view detail)
    = 0;

  // -- accounts ----------------------------------------------------------------

  virtual std::variant<account_id, insert_refusal>
  insert_account(const new_account& row) = 0;

  virtual std::optional<account_row> find_account(account_id id) = 0;

  virtual std::optional<account_row>
  find_account_by_username(const std::string& username_key) = 0;

  // -- sessions ----------------------------------------------------------------

  virtual void insert_session(const session_row& row) = 0;
  virtual std::optional<session_row>
  find_session(const std::string& token_digest) = 0;
  virtual void delete_session(const std::string& token_digest) = 0;

  // -- staff -------------------------------------------------------------------

  /// False when the username is taken.
  virtual bool insert_staff(const staff_row& row) = 0;
  virtual std::optional<staff_row>
  find_staff_by_username(const std::string& username_key) = 0;
  virtual std::optional<staff_row> find_staff(int64_t id) = 0;

  // -- login log ---------------------------------------------------------------

  virtual void append_login(const login_row& row) = 0;

  // -- health ------------------------------------------------------------------

  /// A trivial round trip; throws when the database is unreachable.
  virtual void ping() = 0;
};

/// Makes connections to one database.
class database {
public:
  virtual ~database() = default;

  /// Opens a new connection (run migrations first, once, with `migrate`).
  virtual std::unique_ptr<connection> connect() = 0;

  /// Brings the schema to the newest version; idempotent.
  virtual void migrate() = 0;

  /// Whether several connections may write at once (PostgreSQL) or one
  /// writer must take every write (SQLite).
  virtual bool single_writer() const = 0;
};

} // namespace idclaim::storage
