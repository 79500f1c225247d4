#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "storage/connection.hpp"
#include "storage/sqlite_statement.hpp"

struct sqlite3;

namespace idclaim::storage {

/// Opens a SQLite file with idclaim's pragmas (WAL, synchronous, foreign
/// keys, busy timeout).
sqlite3* open_sqlite_file(const std::string& path, const std::string& sync);

/// Runs SQL without results; throws storage_error.
void sqlite_exec(sqlite3* db, std::string_view sql);

/// The SQLite implementation of `connection`. Its methods are defined by
/// area: sqlite_connection.cpp (transactions, claims, accounts, sessions,
/// staff, login log) and one sqlite_<area>.cpp per later area.
class sqlite_connection final : public connection {
public:
  sqlite_connection(const std::string& path, const std::string& sync);
  ~sqlite_connection() override;

  // -- transactions ------------------------------------------------------------
  void begin() override;
  void commit() override;
  void rollback() override;
  void savepoint() override;
  void release_savepoint() override;
  void rollback_to_savepoint() override;

  // -- claims ------------------------------------------------------------------
  void ensure_claim(const std::string& key, const std::string& id_cipher,
                    int64_t now_ms) override;
  claim_state load_claim(const std::string& key) override;
  std::optional<std::string> claim_id_cipher(const std::string& key) override;
  void append_claim_event(const std::string& key, int64_t at_ms,
                          std::string_view kind,
                          std::optional<account_id> actor,
                          std::string_view detail) override;

  // -- accounts ----------------------------------------------------------------
  std::variant<account_id, insert_refusal>
  insert_account(const new_account& a) override;
  std::optional<account_row> find_account(account_id id) override;
  std::optional<account_row>
  find_account_by_username(const std::string& key) override;

  // -- sessions ----------------------------------------------------------------
  void insert_session(const session_row& r) override;
  std::optional<session_row> find_session(const std::string& digest) override;
  void delete_session(const std::string& digest) override;

  // -- staff -------------------------------------------------------------------
  bool insert_staff(const staff_row& r) override;
  std::optional<staff_row>
  find_staff_by_username(const std::string& key) override;
  std::optional<staff_row> find_staff(int64_t id) override;

  // -- login log ---------------------------------------------------------------
  void append_login(const login_row& r) override;

  void ping() override;

private:
  /// The prepared statement for `sql`, prepared on first use.
  sqlite_statement& stmt(std::string_view sql);

  /// Runs a statement without results and resets it.
  static void run(sqlite_statement& s);

  /// Runs a `SELECT count(*) ... WHERE x = ?1` with a blob key.
  int64_t count(std::string_view sql, const std::string& key);

  /// Maps the last UNIQUE violation to the invariant it protects.
  std::optional<insert_refusal> unique_refusal();

  static std::optional<account_row> read_account(sqlite_statement& s);
  static std::optional<staff_row> read_staff(sqlite_statement& s);

  sqlite3* db_;
  std::map<std::string, std::unique_ptr<sqlite_statement>, std::less<>>
    statements_;
};

} // namespace idclaim::storage
