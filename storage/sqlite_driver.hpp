#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "storage/sql_driver.hpp"
#include "storage/sqlite_statement.hpp"

struct sqlite3;

namespace idclaim::storage {

/// The SQLite implementation of `sql_driver`: one file in WAL mode, opened
/// with idclaim's pragmas, statements prepared once and cached.
class sqlite_driver final : public sql_driver {
public:
  /// Opens (creating if needed) the database file. `sync` is the
  /// synchronous pragma: "full" (durable at power loss) or "normal"
  /// (durable at process crash). `read_only` opens a reader connection.
  sqlite_driver(const std::string& path, const std::string& sync,
                bool read_only = false);
  ~sqlite_driver() override;

  sql_result exec(std::string_view sql,
                  std::initializer_list<sql_param> params) override;
  void exec_script(std::string_view sql) override;

  void begin() override;
  void commit() override;
  void rollback() override;
  void savepoint() override;
  void release_savepoint() override;
  void rollback_to_savepoint() override;

  void notify(std::string_view, std::string_view) override {
    // One process owns the file: subscribers are told after the commit.
  }
  bool shared() const override { return false; }

  /// Copies the whole database into `target_path` with SQLite's online
  /// backup, `pages_per_step` pages at a time (-1: all in one step, one
  /// consistent snapshot that, in WAL mode, never blocks writers; the way
  /// to copy a file another process keeps writing, since a write by another
  /// connection between steps restarts the copy).
  void backup_to(const std::string& target_path, int pages_per_step = 256);

private:
  sqlite_statement& statement(std::string_view sql);

  sqlite3* db_ = nullptr;
  bool read_only_ = false;
  std::map<std::string, std::unique_ptr<sqlite_statement>, std::less<>>
    statements_;
};

} // namespace idclaim::storage
