#define CAF_SUITE app.backup_restore
#include <caf/test/unit_test.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "app/commands.hpp"
#include "tests/support/api_steps.hpp"
#include "tests/support/test_service.hpp"

using namespace idclaim;
using namespace idclaim::testing;
namespace bh = boost::beast::http;
namespace fs = std::filesystem;

namespace {

/// How many people exist before the backup starts.
constexpr int before_backup = 6;

std::string username_of(int i) {
  return "keeper" + std::to_string(100 + i);
}

/// The data directory a test_service uses inside its temp dir.
std::string data_dir_of(const test_service& svc) {
  return svc.data_dir() + "/data";
}

struct fixture {
  temp_dir scratch;
  std::string backup_file = scratch.path() + "/idclaim.backup";
  std::string fresh_dir = scratch.path() + "/fresh";
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(backup_restore, fixture)

CAF_TEST(a backup of a live service restores into a fresh directory) {
  if (testing_postgres())
    return; // backup covers the embedded SQLite database only
  std::string old_keys;
  {
    test_service svc;
    auto c = svc.client();
    for (int i = 0; i < before_backup; ++i)
      must_register(c, {username_of(i)}, nth_resident_id(i));
    // The server keeps taking registrations while the copy is made.
    std::atomic<bool> done{false};
    std::atomic<int> written{0};
    std::thread writer{[&] {
      auto w = svc.client();
      for (int i = before_backup; !done && i < before_backup + 200; ++i)
        if (register_person(w, {username_of(i)}, nth_resident_id(i)).status
            == 201)
          ++written;
    }};
    auto rc = app::run_backup({"--data-dir", data_dir_of(svc), backup_file});
    done = true;
    writer.join();
    CAF_CHECK_EQUAL(rc, 0);
    CAF_CHECK(written.load() > 0);
    CAF_CHECK(fs::exists(backup_file));
    CAF_CHECK(!fs::exists(backup_file + ".partial"));
    CAF_CHECK((fs::status(backup_file).permissions() & fs::perms::group_all)
              == fs::perms::none);
    old_keys = data_dir_of(svc) + "/secret.keys";
    fs::create_directories(fresh_dir);
    CAF_CHECK_EQUAL(app::run_restore({"--data-dir", fresh_dir, backup_file}),
                    0);
    fs::copy_file(old_keys, fresh_dir + "/secret.keys");
  }
  test_service restored{[&](config::settings& s) { s.data_dir = fresh_dir; }};
  auto c = restored.client();
  for (int i = 0; i < before_backup; ++i) {
    auto token = login(c, username_of(i));
    auto me = call(c, bh::verb::get, "/api/v1/me", nullptr, token);
    CAF_CHECK_EQUAL(me.status, 200u);
    CAF_CHECK_EQUAL(me.body.value("username", ""), username_of(i));
    // Decrypted with the key file that came along (masking needs the
    // plain values).
    auto id = nth_resident_id(i);
    CAF_CHECK_EQUAL(me.body.value("id_number", ""),
                    id.substr(0, 1) + std::string(16, '*') + id.substr(17));
    CAF_CHECK_EQUAL(me.body.value("name", ""), "王**");
    CAF_CHECK_EQUAL(me.body.value("mobile", ""), "139****5678");
  }
  // The blind index came along too: the same ID is recognised as taken.
  auto again = register_person(c, {"newcomer01"}, nth_resident_id(0), false);
  CAF_CHECK_EQUAL(again.status, 409u);
  CAF_CHECK_EQUAL(again.error_code(), "ID_ALREADY_REGISTERED");
}

CAF_TEST(restore refuses a directory that has a database) {
  if (testing_postgres())
    return;
  test_service svc;
  auto c = svc.client();
  must_register(c, {username_of(0)}, nth_resident_id(0));
  CAF_REQUIRE_EQUAL(
    app::run_backup({"--data-dir", data_dir_of(svc), backup_file}), 0);
  // Neither an existing backup nor a live database is overwritten.
  CAF_CHECK_EQUAL(
    app::run_backup({"--data-dir", data_dir_of(svc), backup_file}), 1);
  CAF_CHECK_EQUAL(
    app::run_restore({"--data-dir", data_dir_of(svc), backup_file}), 1);
  CAF_CHECK(login(c, username_of(0)).size() > 0);
}

CAF_TEST(a damaged backup is not restored) {
  {
    std::ofstream out{backup_file, std::ios::binary};
    out << "SQLite format 3" << std::string(5000, '\x7f');
  }
  CAF_CHECK_NOT_EQUAL(app::run_restore({"--data-dir", fresh_dir, backup_file}),
                     0);
  CAF_CHECK(!fs::exists(fresh_dir + "/idclaim.sqlite3"));
  CAF_CHECK(!fs::exists(fresh_dir + "/idclaim.sqlite3.restoring"));
}

CAF_TEST(backup and restore need a file and the embedded database) {
  CAF_CHECK_EQUAL(app::run_backup({"--data-dir", fresh_dir}), 2);
  CAF_CHECK_EQUAL(app::run_restore({"--data-dir", fresh_dir, "a", "b"}), 2);
  CAF_CHECK_EQUAL(
    app::run_backup({"--database", "postgresql://x/y", backup_file}), 2);
  CAF_CHECK_EQUAL(app::run_backup({"--data-dir", fresh_dir, backup_file}), 1);
}

CAF_TEST_FIXTURE_SCOPE_END()
