#include "storage/sqlite_database.hpp"

#include <map>

#include <sqlite3.h>

#include "storage/sqlite_schema.hpp"
#include "storage/sqlite_statement.hpp"
#include "storage/storage_error.hpp"

namespace idclaim::storage {

namespace {

// -- statements (named constants, prepared once per connection) ---------------

constexpr std::string_view kInsertClaim
  = "INSERT INTO claims(claim_key, id_cipher, created_ms) VALUES (?1, ?2, ?3) "
    "ON CONFLICT(claim_key) DO NOTHING";
constexpr std::string_view kClaimHolder
  = "SELECT id FROM accounts WHERE claim_key = ?1 AND status = 'active'";
constexpr std::string_view kClaimClaimants
  = "SELECT count(*) FROM accounts WHERE claim_key = ?1 "
    "AND status = 'restricted'";
constexpr std::string_view kClaimOpenReviews
  = "SELECT count(*) FROM review_cases WHERE claim_key = ?1 "
    "AND state = 'open'";
constexpr std::string_view kClaimCipher
  = "SELECT id_cipher FROM claims WHERE claim_key = ?1";
constexpr std::string_view kInsertClaimEvent
  = "INSERT INTO claim_events(claim_key, at_ms, kind, account_id, detail) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr std::string_view kInsertAccount
  = "INSERT INTO accounts(username, username_key, password_hash, name_cipher, "
    "claim_key, mobile_cipher, mobile_index, email_cipher, status, "
    "created_ms, updated_ms) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)";
constexpr std::string_view kAccountColumns
  = "SELECT id, username, username_key, password_hash, name_cipher, "
    "claim_key, mobile_cipher, mobile_index, email_cipher, mobile_bound, "
    "status, cancel_reason, military_registered, grad_exam_registered, "
    "created_ms, updated_ms FROM accounts ";
constexpr std::string_view kAccountById = "WHERE id = ?1";
constexpr std::string_view kAccountByUsername = "WHERE username_key = ?1";
constexpr std::string_view kInsertSession
  = "INSERT INTO sessions(token_digest, subject_kind, subject_id, created_ms, "
    "expires_ms) VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr std::string_view kFindSession
  = "SELECT subject_kind, subject_id, created_ms, expires_ms FROM sessions "
    "WHERE token_digest = ?1";
constexpr std::string_view kDeleteSession
  = "DELETE FROM sessions WHERE token_digest = ?1";
constexpr std::string_view kInsertStaff
  = "INSERT INTO staff(username, username_key, password_hash, role) "
    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(username_key) DO NOTHING";
constexpr std::string_view kStaffColumns
  = "SELECT id, username, username_key, password_hash, role FROM staff ";
constexpr std::string_view kInsertLogin
  = "INSERT INTO login_log(account_id, at_ms, ip, client, success) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";

std::string_view role_text(staff_role r) {
  return r == staff_role::reviewer ? "reviewer" : "operator";
}

staff_role role_from(const std::string& s) {
  return s == "reviewer" ? staff_role::reviewer : staff_role::operator_;
}

void exec(sqlite3* db, std::string_view sql) {
  char* msg = nullptr;
  std::string text{sql};
  auto rc = sqlite3_exec(db, text.c_str(), nullptr, nullptr, &msg);
  if (rc != SQLITE_OK) {
    std::string what = msg ? msg : sqlite3_errstr(rc);
    sqlite3_free(msg);
    throw storage_error("exec: " + what,
                        rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  }
}

sqlite3* open_file(const std::string& path, const std::string& sync) {
  sqlite3* db = nullptr;
  auto rc = sqlite3_open_v2(path.c_str(), &db,
                            SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
                              | SQLITE_OPEN_NOMUTEX,
                            nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_close(db);
    throw storage_error("cannot open the SQLite database: "
                        + std::string{sqlite3_errstr(rc)});
  }
  sqlite3_busy_timeout(db, 5000);
  exec(db, "PRAGMA journal_mode = WAL");
  exec(db, "PRAGMA synchronous = " + std::string{sync == "normal" ? "NORMAL" : "FULL"});
  exec(db, "PRAGMA foreign_keys = ON");
  return db;
}

/// The SQLite implementation of `connection`.
class sqlite_connection final : public connection {
public:
  sqlite_connection(const std::string& path, const std::string& sync)
    : db_(open_file(path, sync)) {
  }

  ~sqlite_connection() override {
    statements_.clear();
    sqlite3_close(db_);
  }

  // -- transactions ------------------------------------------------------------

  // IMMEDIATE takes the write lock up front, so a batch never fails half way
  // on a lock upgrade.
  void begin() override { exec(db_, "BEGIN IMMEDIATE"); }
  void commit() override { exec(db_, "COMMIT"); }
  void rollback() override {
    if (!sqlite3_get_autocommit(db_))
      exec(db_, "ROLLBACK");
  }
  void savepoint() override { exec(db_, "SAVEPOINT job"); }
  void release_savepoint() override { exec(db_, "RELEASE job"); }
  void rollback_to_savepoint() override {
    exec(db_, "ROLLBACK TO job");
    exec(db_, "RELEASE job");
  }

  // -- claims ------------------------------------------------------------------

  void ensure_claim(const std::string& key, const std::string& id_cipher,
                    int64_t now_ms) override {
    auto& s = stmt(kInsertClaim);
    s.bind_blob(1, key).bind_blob(2, id_cipher).bind(3, now_ms);
    run(s);
  }

  claim_state load_claim(const std::string& key) override {
    claim_state out;
    {
      auto& s = stmt(kClaimHolder);
      s.bind_blob(1, key);
      if (s.step())
        out.holder = s.column_int(0);
      s.reset();
    }
    out.claimants = static_cast<int>(count(kClaimClaimants, key));
    out.open_reviews = static_cast<int>(count(kClaimOpenReviews, key));
    return out;
  }

  std::optional<std::string> claim_id_cipher(const std::string& key) override {
    auto& s = stmt(kClaimCipher);
    s.bind_blob(1, key);
    std::optional<std::string> out;
    if (s.step())
      out = s.column_blob(0);
    s.reset();
    return out;
  }

  void append_claim_event(const std::string& key, int64_t at_ms,
                          std::string_view kind,
                          std::optional<account_id> actor,
                          std::string_view detail) override {
    auto& s = stmt(kInsertClaimEvent);
    s.bind_blob(1, key).bind(2, at_ms).bind_text(3, kind);
    if (actor)
      s.bind(4, *actor);
    else
      s.bind_null(4);
    s.bind_text(5, detail);
    run(s);
  }

  // -- accounts ----------------------------------------------------------------

  std::variant<account_id, insert_refusal>
  insert_account(const new_account& a) override {
    auto& s = stmt(kInsertAccount);
    s.bind_text(1, a.username)
      .bind_text(2, a.username_key)
      .bind_text(3, a.password_hash)
      .bind_blob(4, a.name_cipher)
      .bind_blob(5, a.claim_key)
      .bind_blob_or_null(6, a.mobile_cipher)
      .bind_blob_or_null(7, a.mobile_index)
      .bind_blob_or_null(8, a.email_cipher)
      .bind_text(9, to_string(a.status))
      .bind(10, a.now_ms);
    try {
      run(s);
    } catch (const storage_error&) {
      if (auto refusal = unique_refusal())
        return *refusal;
      throw;
    }
    return static_cast<account_id>(sqlite3_last_insert_rowid(db_));
  }

  std::optional<account_row> find_account(account_id id) override {
    auto& s = stmt(std::string{kAccountColumns} + std::string{kAccountById});
    s.bind(1, id);
    return read_account(s);
  }

  std::optional<account_row>
  find_account_by_username(const std::string& key) override {
    auto& s
      = stmt(std::string{kAccountColumns} + std::string{kAccountByUsername});
    s.bind_text(1, key);
    return read_account(s);
  }

  // -- sessions ----------------------------------------------------------------

  void insert_session(const session_row& r) override {
    auto& s = stmt(kInsertSession);
    s.bind_blob(1, r.token_digest)
      .bind_text(2, r.kind == subject_kind::account ? "account" : "staff")
      .bind(3, r.subject_id)
      .bind(4, r.created_ms)
      .bind(5, r.expires_ms);
    run(s);
  }

  std::optional<session_row> find_session(const std::string& digest) override {
    auto& s = stmt(kFindSession);
    s.bind_blob(1, digest);
    std::optional<session_row> out;
    if (s.step()) {
      session_row r;
      r.token_digest = digest;
      r.kind = s.column_text(0) == "staff" ? subject_kind::staff
                                           : subject_kind::account;
      r.subject_id = s.column_int(1);
      r.created_ms = s.column_int(2);
      r.expires_ms = s.column_int(3);
      out = std::move(r);
    }
    s.reset();
    return out;
  }

  void delete_session(const std::string& digest) override {
    auto& s = stmt(kDeleteSession);
    s.bind_blob(1, digest);
    run(s);
  }

  // -- staff -------------------------------------------------------------------

  bool insert_staff(const staff_row& r) override {
    auto& s = stmt(kInsertStaff);
    s.bind_text(1, r.username)
      .bind_text(2, r.username_key)
      .bind_text(3, r.password_hash)
      .bind_text(4, role_text(r.role));
    run(s);
    return sqlite3_changes(db_) == 1;
  }

  std::optional<staff_row>
  find_staff_by_username(const std::string& key) override {
    auto& s = stmt(std::string{kStaffColumns} + "WHERE username_key = ?1");
    s.bind_text(1, key);
    return read_staff(s);
  }

  std::optional<staff_row> find_staff(int64_t id) override {
    auto& s = stmt(std::string{kStaffColumns} + "WHERE id = ?1");
    s.bind(1, id);
    return read_staff(s);
  }

  // -- login log ---------------------------------------------------------------

  void append_login(const login_row& r) override {
    auto& s = stmt(kInsertLogin);
    if (r.account)
      s.bind(1, *r.account);
    else
      s.bind_null(1);
    s.bind(2, r.at_ms).bind_text(3, r.ip).bind_text(4, r.client).bind(
      5, r.success ? 1 : 0);
    run(s);
  }

  void ping() override { exec(db_, "SELECT 1"); }

private:
  sqlite_statement& stmt(std::string_view sql) {
    auto i = statements_.find(sql);
    if (i == statements_.end())
      i = statements_
            .emplace(std::string{sql},
                     std::make_unique<sqlite_statement>(db_, sql))
            .first;
    return *i->second;
  }

  static void run(sqlite_statement& s) {
    s.run();
    s.reset();
  }

  int64_t count(std::string_view sql, const std::string& key) {
    auto& s = stmt(sql);
    s.bind_blob(1, key);
    int64_t n = s.step() ? s.column_int(0) : 0;
    s.reset();
    return n;
  }

  /// Maps the last UNIQUE violation to the invariant it protects.
  std::optional<insert_refusal> unique_refusal() {
    if (sqlite3_extended_errcode(db_) != SQLITE_CONSTRAINT_UNIQUE)
      return std::nullopt;
    std::string_view msg = sqlite3_errmsg(db_);
    if (msg.find("username_key") != std::string_view::npos)
      return insert_refusal::username_taken;
    if (msg.find("claim_key") != std::string_view::npos)
      return insert_refusal::active_exists;
    return std::nullopt;
  }

  static std::optional<account_row> read_account(sqlite_statement& s) {
    std::optional<account_row> out;
    if (s.step()) {
      account_row r;
      r.id = s.column_int(0);
      r.username = s.column_text(1);
      r.username_key = s.column_text(2);
      r.password_hash = s.column_text(3);
      r.name_cipher = s.column_blob(4);
      r.claim_key = s.column_blob(5);
      r.mobile_cipher = s.column_blob(6);
      r.mobile_index = s.column_blob(7);
      r.email_cipher = s.column_blob(8);
      r.mobile_bound = s.column_int(9) != 0;
      r.status = parse_account_status(s.column_text(10))
                   .value_or(account_status::cancelled);
      r.cancel_reason = s.column_text(11);
      r.military_registered = s.column_int(12) != 0;
      r.grad_exam_registered = s.column_int(13) != 0;
      r.created_ms = s.column_int(14);
      r.updated_ms = s.column_int(15);
      out = std::move(r);
    }
    s.reset();
    return out;
  }

  static std::optional<staff_row> read_staff(sqlite_statement& s) {
    std::optional<staff_row> out;
    if (s.step()) {
      staff_row r;
      r.id = s.column_int(0);
      r.username = s.column_text(1);
      r.username_key = s.column_text(2);
      r.password_hash = s.column_text(3);
      r.role = role_from(s.column_text(4));
      out = std::move(r);
    }
    s.reset();
    return out;
  }

  sqlite3* db_;
  std::map<std::string, std::unique_ptr<sqlite_statement>, std::less<>>
    statements_;
};

} // namespace

sqlite_database::sqlite_database(std::string path, std::string sync)
  : path_(std::move(path)), sync_(std::move(sync)) {
}

std::unique_ptr<connection> sqlite_database::connect() {
  return std::make_unique<sqlite_connection>(path_, sync_);
}

void sqlite_database::migrate() {
  auto db = open_file(path_, sync_);
  try {
    exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
             "version INTEGER PRIMARY KEY, applied_ms INTEGER NOT NULL)");
    for (auto& m : sqlite_migrations()) {
      sqlite_statement q(db, "SELECT 1 FROM schema_migrations WHERE version = ?1");
      q.bind(1, m.version);
      if (q.step())
        continue;
      exec(db, "BEGIN IMMEDIATE");
      exec(db, m.sql);
      exec(db, "INSERT INTO schema_migrations(version, applied_ms) VALUES ("
                 + std::to_string(m.version)
                 + ", CAST(strftime('%s','now') AS INTEGER) * 1000)");
      exec(db, "COMMIT");
    }
  } catch (...) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    throw;
  }
  sqlite3_close(db);
}

} // namespace idclaim::storage
