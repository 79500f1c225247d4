#include "tests/support/test_database.hpp"

#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>

#include "storage/pg_database.hpp"
#include "storage/pg_driver.hpp"
#include "storage/sqlite_database.hpp"
#include "storage/storage_error.hpp"

namespace idclaim::testing {

namespace {

std::string random_suffix() {
  std::random_device rd;
  std::uniform_int_distribution<uint64_t> any;
  static constexpr char digits[] = "0123456789abcdef";
  auto v = any(rd);
  std::string out;
  for (int i = 0; i < 16; ++i, v >>= 4)
    out += digits[v & 0xf];
  return out;
}

/// Runs `sql` on the test server's maintenance database.
void admin_exec(const std::string& sql) {
  storage::pg_driver admin{storage::pg_options{test_server_url()}};
  admin.exec_script(sql);
}

} // namespace

std::string test_server_url() {
  if (auto url = std::getenv("IDCLAIM_TEST_DATABASE"); url && *url)
    return url;
  if (auto file = std::getenv("IDCLAIM_TEST_DATABASE_URL_FILE");
      file && *file) {
    std::ifstream in(file);
    std::string url;
    if (!std::getline(in, url) || url.empty())
      throw std::runtime_error(std::string{"no server URL in "} + file);
    return url;
  }
  return {};
}

std::string with_database_name(const std::string& url,
                               const std::string& name) {
  auto scheme = url.find("://");
  auto path = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  auto query = url.find('?', path == std::string::npos ? 0 : path);
  auto head = url.substr(0, path == std::string::npos ? query : path);
  auto tail = query == std::string::npos ? "" : url.substr(query);
  return head + "/" + name + tail;
}

test_database::test_database(std::string sqlite_path) {
  auto server = test_server_url();
  if (server.empty()) {
    db_ = std::make_shared<storage::sqlite_database>(std::move(sqlite_path),
                                                     "normal");
    return;
  }
  name_ = "idclaim_t_" + random_suffix();
  admin_exec("CREATE DATABASE " + name_);
  url_ = with_database_name(server, name_);
  db_ = std::make_shared<storage::pg_database>(storage::pg_options{url_});
}

test_database::~test_database() {
  if (name_.empty())
    return;
  db_.reset();
  try {
    admin_exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
  } catch (const storage::storage_error&) {
    // The server is gone already; its directory is removed with it.
  }
}

int64_t test_database::count_rows(const std::string& table) const {
  auto conn = db_->connect_reader();
  auto r = conn->driver().exec("SELECT count(*) FROM " + table, {});
  return r.rows.at(0).integer(0);
}

std::string test_database::dump() const {
  auto conn = db_->connect_reader();
  auto& sql = conn->driver();
  auto tables
    = postgres()
        ? sql.exec("SELECT table_name FROM information_schema.tables "
                   "WHERE table_schema = 'public' ORDER BY table_name",
                   {})
        : sql.exec("SELECT name FROM sqlite_master WHERE type = 'table' "
                   "ORDER BY name",
                   {});
  std::string out;
  for (auto& t : tables.rows) {
    for (auto& row : sql.exec("SELECT * FROM " + t.text(0), {}).rows) {
      for (std::size_t i = 0; i < row.size(); ++i) {
        out += row.text(i);
        out += '\n';
      }
    }
  }
  return out;
}

} // namespace idclaim::testing
