#include "storage/sqlite_connection.hpp"

#include <sqlite3.h>

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

} // namespace

void sqlite_exec(sqlite3* db, std::string_view sql) {
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

sqlite3* open_sqlite_file(const std::string& path, const std::string& sync) {
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
  sqlite_exec(db, "PRAGMA journal_mode = WAL");
  sqlite_exec(db, "PRAGMA synchronous = " + std::string{sync == "normal" ? "NORMAL" : "FULL"});
  sqlite_exec(db, "PRAGMA foreign_keys = ON");
  return db;
}


sqlite_connection::sqlite_connection(const std::string& path, const std::string& sync)
  : db_(open_sqlite_file(path, sync)) {
}

sqlite_connection::~sqlite_connection() {
  statements_.clear();
  sqlite3_close(db_);
}

// -- transactions ------------------------------------------------------------

// IMMEDIATE takes the write lock up front, so a batch never fails half way
// on a lock upgrade.
void sqlite_connection::begin() { sqlite_exec(db_, "BEGIN IMMEDIATE"); }
void sqlite_connection::commit() { sqlite_exec(db_, "COMMIT"); }
void sqlite_connection::rollback() {
  if (!sqlite3_get_autocommit(db_))
    sqlite_exec(db_, "ROLLBACK");
}
void sqlite_connection::savepoint() { sqlite_exec(db_, "SAVEPOINT job"); }
void sqlite_connection::release_savepoint() { sqlite_exec(db_, "RELEASE job"); }
void sqlite_connection::rollback_to_savepoint() {
  sqlite_exec(db_, "ROLLBACK TO job");
  sqlite_exec(db_, "RELEASE job");
}

// -- claims ------------------------------------------------------------------

void sqlite_connection::ensure_claim(const std::string& key, const std::string& id_cipher,
                  int64_t now_ms) {
  auto& s = stmt(kInsertClaim);
  s.bind_blob(1, key).bind_blob(2, id_cipher).bind(3, now_ms);
  run(s);
}

claim_state sqlite_connection::load_claim(const std::string& key) {
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

std::optional<std::string> sqlite_connection::claim_id_cipher(const std::string& key) {
  auto& s = stmt(kClaimCipher);
  s.bind_blob(1, key);
  std::optional<std::string> out;
  if (s.step())
    out = s.column_blob(0);
  s.reset();
  return out;
}

void sqlite_connection::append_claim_event(const std::string& key, int64_t at_ms,
                        std::string_view kind,
                        std::optional<account_id> actor,
                        std::string_view detail) {
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
sqlite_connection::insert_account(const new_account& a) {
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

std::optional<account_row> sqlite_connection::find_account(account_id id) {
  auto& s = stmt(std::string{kAccountColumns} + std::string{kAccountById});
  s.bind(1, id);
  return read_account(s);
}

std::optional<account_row>
sqlite_connection::find_account_by_username(const std::string& key) {
  auto& s
    = stmt(std::string{kAccountColumns} + std::string{kAccountByUsername});
  s.bind_text(1, key);
  return read_account(s);
}

// -- sessions ----------------------------------------------------------------

void sqlite_connection::insert_session(const session_row& r) {
  auto& s = stmt(kInsertSession);
  s.bind_blob(1, r.token_digest)
    .bind_text(2, r.kind == subject_kind::account ? "account" : "staff")
    .bind(3, r.subject_id)
    .bind(4, r.created_ms)
    .bind(5, r.expires_ms);
  run(s);
}

std::optional<session_row> sqlite_connection::find_session(const std::string& digest) {
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

void sqlite_connection::delete_session(const std::string& digest) {
  auto& s = stmt(kDeleteSession);
  s.bind_blob(1, digest);
  run(s);
}

// -- staff -------------------------------------------------------------------

bool sqlite_connection::insert_staff(const staff_row& r) {
  auto& s = stmt(kInsertStaff);
  s.bind_text(1, r.username)
    .bind_text(2, r.username_key)
    .bind_text(3, r.password_hash)
    .bind_text(4, role_text(r.role));
  run(s);
  return sqlite3_changes(db_) == 1;
}

std::optional<staff_row>
sqlite_connection::find_staff_by_username(const std::string& key) {
  auto& s = stmt(std::string{kStaffColumns} + "WHERE username_key = ?1");
  s.bind_text(1, key);
  return read_staff(s);
}

std::optional<staff_row> sqlite_connection::find_staff(int64_t id) {
  auto& s = stmt(std::string{kStaffColumns} + "WHERE id = ?1");
  s.bind(1, id);
  return read_staff(s);
}

// -- login log ---------------------------------------------------------------

void sqlite_connection::append_login(const login_row& r) {
  auto& s = stmt(kInsertLogin);
  if (r.account)
    s.bind(1, *r.account);
  else
    s.bind_null(1);
  s.bind(2, r.at_ms).bind_text(3, r.ip).bind_text(4, r.client).bind(
    5, r.success ? 1 : 0);
  run(s);
}

void sqlite_connection::ping() { sqlite_exec(db_, "SELECT 1"); }

sqlite_statement& sqlite_connection::stmt(std::string_view sql) {
  auto i = statements_.find(sql);
  if (i == statements_.end())
    i = statements_
          .emplace(std::string{sql},
                   std::make_unique<sqlite_statement>(db_, sql))
          .first;
  return *i->second;
}

void sqlite_connection::run(sqlite_statement& s) {
  s.run();
  s.reset();
}

int64_t sqlite_connection::count(std::string_view sql, const std::string& key) {
  auto& s = stmt(sql);
  s.bind_blob(1, key);
  int64_t n = s.step() ? s.column_int(0) : 0;
  s.reset();
  return n;
}

/// Maps the last UNIQUE violation to the invariant it protects.
std::optional<insert_refusal> sqlite_connection::unique_refusal() {
  if (sqlite3_extended_errcode(db_) != SQLITE_CONSTRAINT_UNIQUE)
    return std::nullopt;
  std::string_view msg = sqlite3_errmsg(db_);
  if (msg.find("username_key") != std::string_view::npos)
    return insert_refusal::username_taken;
  if (msg.find("claim_key") != std::string_view::npos)
    return insert_refusal::active_exists;
  return std::nullopt;
}

std::optional<account_row> sqlite_connection::read_account(sqlite_statement& s) {
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

std::optional<staff_row> sqlite_connection::read_staff(sqlite_statement& s) {
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


} // namespace idclaim::storage
