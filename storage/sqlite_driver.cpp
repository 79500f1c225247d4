#include "storage/sqlite_driver.hpp"

#include <sqlite3.h>

#include "storage/storage_error.hpp"

namespace idclaim::storage {

namespace {

/// How long a connection waits for another one's write lock.
constexpr int busy_timeout_ms = 5000;

void exec_plain(sqlite3* db, const char* sql) {
  char* msg = nullptr;
  auto rc = sqlite3_exec(db, sql, nullptr, nullptr, &msg);
  sqlite3_free(msg);
  if (rc != SQLITE_OK)
    throw_sqlite_error(db, sqlite3_extended_errcode(db), sql);
}

void bind(sqlite_statement& s, int i, const sql_param& p) {
  std::visit(
    [&](auto& v) {
      using T = std::decay_t<decltype(v)>;
      if constexpr (std::is_same_v<T, std::nullptr_t>)
        s.bind_null(i);
      else if constexpr (std::is_same_v<T, int64_t>)
        s.bind(i, v);
      else if constexpr (std::is_same_v<T, std::string_view>)
        s.bind_text(i, v);
      else if constexpr (std::is_same_v<T, blob_param>)
        s.bind_blob(i, v.bytes);
      else
        s.bind_blob_or_null(i, v.bytes);
    },
    p);
}

} // namespace

sqlite_driver::sqlite_driver(const std::string& path, const std::string& sync,
                             bool read_only)
  : read_only_(read_only) {
  int flags = SQLITE_OPEN_NOMUTEX
              | (read_only ? SQLITE_OPEN_READONLY
                           : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  auto rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string why = sqlite3_errstr(rc);
    sqlite3_close(db_);
    throw storage_error("cannot open the SQLite database: " + why);
  }
  sqlite3_busy_timeout(db_, busy_timeout_ms);
  // A file that is not a database opens fine and fails here; the destructor
  // of an object whose constructor throws does not run, so close it now.
  try {
    if (!read_only)
      exec_plain(db_, "PRAGMA journal_mode = WAL");
    exec_plain(db_, sync == "normal" ? "PRAGMA synchronous = NORMAL"
                                     : "PRAGMA synchronous = FULL");
    exec_plain(db_, "PRAGMA foreign_keys = ON");
    // Each storage job runs in a savepoint, whose statement journal SQLite
    // would otherwise write to a temporary file on disk (as it would sorts
    // and temporary indexes): that is I/O on the commit path for data no
    // crash recovery needs, since the WAL is the durable record.
    exec_plain(db_, "PRAGMA temp_store = MEMORY");
  } catch (...) {
    sqlite3_close(db_);
    throw;
  }
}

sqlite_driver::~sqlite_driver() {
  statements_.clear();
  sqlite3_close(db_);
}

sql_result sqlite_driver::exec(std::string_view sql,
                               std::initializer_list<sql_param> params) {
  auto& s = statement(sql);
  int i = 1;
  for (auto& p : params)
    bind(s, i++, p);
  sql_result out;
  try {
    while (s.step()) {
      std::vector<std::optional<std::string>> cols;
      cols.reserve(static_cast<std::size_t>(s.column_count()));
      for (int c = 0; c < s.column_count(); ++c)
        cols.push_back(s.column_is_null(c)
                         ? std::nullopt
                         : std::optional<std::string>{s.column_blob(c)});
      out.rows.emplace_back(std::move(cols));
    }
  } catch (const storage_error&) {
    s.reset();
    throw;
  }
  out.affected = sqlite3_changes(db_);
  s.reset();
  return out;
}

void sqlite_driver::exec_script(std::string_view sql) {
  exec_plain(db_, std::string{sql}.c_str());
}

// IMMEDIATE takes the write lock up front, so a group never fails half way
// on a lock upgrade; readers use DEFERRED (a snapshot).
void sqlite_driver::begin() {
  exec_plain(db_, read_only_ ? "BEGIN" : "BEGIN IMMEDIATE");
}

void sqlite_driver::commit() {
  exec_plain(db_, "COMMIT");
}

void sqlite_driver::rollback() {
  if (!sqlite3_get_autocommit(db_))
    exec_plain(db_, "ROLLBACK");
}

void sqlite_driver::savepoint() {
  exec_plain(db_, "SAVEPOINT job");
}

void sqlite_driver::release_savepoint() {
  exec_plain(db_, "RELEASE job");
}

void sqlite_driver::rollback_to_savepoint() {
  exec_plain(db_, "ROLLBACK TO job");
  exec_plain(db_, "RELEASE job");
}

void sqlite_driver::backup_to(const std::string& target_path,
                              int pages_per_step) {
  sqlite3* target = nullptr;
  if (sqlite3_open(target_path.c_str(), &target) != SQLITE_OK) {
    sqlite3_close(target);
    throw storage_error("cannot create the backup file");
  }
  auto* job = sqlite3_backup_init(target, "main", db_, "main");
  if (!job) {
    std::string why = sqlite3_errmsg(target);
    sqlite3_close(target);
    throw storage_error("backup failed: " + why);
  }
  int rc = SQLITE_OK;
  // Copy in steps so that writers are blocked only for one step at a time.
  do {
    rc = sqlite3_backup_step(job, pages_per_step);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
      sqlite3_sleep(10);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(job);
  auto final_rc = sqlite3_errcode(target);
  sqlite3_close(target);
  if (rc != SQLITE_DONE || final_rc != SQLITE_OK)
    throw storage_error("backup failed: " + std::string{sqlite3_errstr(rc)});
}

sqlite_statement& sqlite_driver::statement(std::string_view sql) {
  auto i = statements_.find(sql);
  if (i == statements_.end())
    i = statements_
          .emplace(std::string{sql},
                   std::make_unique<sqlite_statement>(db_, sql))
          .first;
  return *i->second;
}

} // namespace idclaim::storage
