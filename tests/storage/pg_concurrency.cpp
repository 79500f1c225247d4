#define CAF_SUITE storage.pg_concurrency
#include <caf/test/unit_test.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <pqxx/pqxx>

#include "storage/pg_database.hpp"
#include "storage/pg_driver.hpp"
#include "storage/storage_error.hpp"
#include "tests/support/signal_flag.hpp"
#include "tests/support/storage_fixture.hpp"

using namespace idclaim;
using namespace idclaim::storage;
using namespace idclaim::testing;
using namespace std::chrono_literals;

namespace {

pg_driver& pg(connection& c) {
  return dynamic_cast<pg_driver&>(c.driver());
}

/// Whether the server process `pid` waits for a lock, polled from `watcher`
/// until it does or `done` is raised (then it cannot wait any more).
bool waits_for_lock(connection& watcher, int64_t pid, signal_flag& done) {
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline) {
    auto r = watcher.driver().exec("SELECT wait_event_type FROM "
                                   "pg_stat_activity WHERE pid = ?1",
                                   {pid});
    if (!r.empty() && r.rows[0].text(0) == "Lock")
      return true;
    if (done.wait_for(2ms))
      return false;
  }
  return false;
}

using fixture = storage_fixture;

} // namespace

CAF_TEST_FIXTURE_SCOPE(pg_concurrency_tests, fixture)

CAF_TEST(a second ensure_locked waits until the first transaction ends) {
  REQUIRE_POSTGRES();
  for (bool exists : {false, true}) {
    CAF_MESSAGE("the claim exists already: " << exists);
    std::string key = exists ? "old-claim" : "new-claim";
    if (exists)
      claim(key);
    auto first = db->connect();
    auto second = db->connect();
    auto watcher = db->connect();
    auto second_pid = pg(*second).backend_pid();
    first->begin();
    auto first_id = first->claims().ensure_locked(key, "c1", 1);
    signal_flag done;
    claim_id second_id = 0;
    std::string failure;
    std::thread racer{[&] {
      try {
        second->begin();
        second_id = second->claims().ensure_locked(key, "c2", 2);
        second->commit();
      } catch (const std::exception& e) {
        failure = e.what();
      }
      done.raise();
    }};
    // The second transaction is seen waiting on a lock, and has not
    // finished, while the first one is open.
    CAF_CHECK(waits_for_lock(*watcher, second_pid, done));
    CAF_CHECK(!done.raised());
    first->commit();
    CAF_CHECK(done.wait_for(10s));
    racer.join();
    CAF_CHECK_EQUAL(failure, "");
    CAF_CHECK_EQUAL(first_id, second_id);
    CAF_CHECK_EQUAL(
      conn->claims().id_cipher(first_id),
      std::optional<std::string>{exists ? "cipher-" + key : "c1"});
  }
}

CAF_TEST(three processes starting at once migrate once) {
  REQUIRE_POSTGRES();
  test_database fresh{""};
  std::vector<std::string> failures(3);
  std::vector<std::thread> starters;
  for (std::size_t i = 0; i < 3; ++i)
    starters.emplace_back([&, i] {
      try {
        pg_database{pg_options{fresh.url()}}.migrate();
      } catch (const std::exception& e) {
        failures[i] = e.what();
      }
    });
  for (auto& t : starters)
    t.join();
  for (auto& f : failures)
    CAF_CHECK_EQUAL(f, "");
  CAF_CHECK_EQUAL(fresh.count_rows("schema_migrations"), 1);
  CAF_CHECK_EQUAL(fresh.count_rows("accounts"), 0);
}

CAF_TEST(a connection the server dropped is reopened on next use) {
  REQUIRE_POSTGRES();
  auto admin = db->connect();
  auto victim = db->connect();
  auto pid = pg(*victim).backend_pid();
  victim->begin();
  admin->driver().exec("SELECT pg_terminate_backend(?1, 5000)", {pid});
  try {
    victim->ping();
    CAF_FAIL("a terminated connection answered");
  } catch (const storage_error& e) {
    CAF_CHECK_EQUAL(e.kind(), failure_kind::connection_lost);
    CAF_CHECK(e.retryable());
  }
  victim->rollback();
  victim->begin();
  victim->ping();
  victim->commit();
  CAF_CHECK_NOT_EQUAL(pg(*victim).backend_pid(), pid);
}

CAF_TEST(a connection lost before COMMIT commits nothing) {
  REQUIRE_POSTGRES();
  auto admin = db->connect();
  auto victim = db->connect();
  auto pid = pg(*victim).backend_pid();
  victim->begin();
  victim->claims().ensure_locked("lost", "c", 1);
  admin->driver().exec("SELECT pg_terminate_backend(?1, 5000)", {pid});
  try {
    victim->commit();
    CAF_FAIL("COMMIT on a terminated connection succeeded");
  } catch (const storage_error& e) {
    // Whether COMMIT found the socket closed or the server gone, the
    // transaction did not commit.
    CAF_CHECK(e.kind() == failure_kind::connection_lost
              || e.kind() == failure_kind::other);
  }
  victim->rollback();
  CAF_CHECK(!conn->claims().find("lost").has_value());
}

CAF_TEST(a statement over the timeout is cancelled) {
  REQUIRE_POSTGRES();
  pg_options slow{tdb.url()};
  slow.statement_timeout_ms = 50;
  pg_driver d{slow};
  try {
    d.exec("SELECT pg_sleep(5)", {});
    CAF_FAIL("the statement ran past its timeout");
  } catch (const storage_error& e) {
    CAF_CHECK_EQUAL(e.kind(), failure_kind::other);
    CAF_CHECK_NOT_EQUAL(std::string{e.what()}.find("57014"), std::string::npos);
  }
  CAF_CHECK_EQUAL(d.exec("SELECT 7", {}).rows.at(0).integer(0), 7);
}

CAF_TEST(account changes are announced only by a committed transaction) {
  REQUIRE_POSTGRES();
  pqxx::connection listener{tdb.url()};
  struct receiver : pqxx::notification_receiver {
    std::vector<std::string> got;
    explicit receiver(pqxx::connection_base& c)
      : pqxx::notification_receiver(c, std::string{change_channel}) {}
    void operator()(const std::string& payload, int) override {
      got.push_back(payload);
    }
  } heard{listener};
  listener.get_notifs(); // sends the LISTEN
  conn->begin();
  conn->account_changed(5);
  conn->rollback();
  conn->take_changed();
  conn->begin();
  conn->account_changed(6);
  conn->account_changed(6);
  conn->commit();
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (heard.got.empty() && std::chrono::steady_clock::now() < deadline)
    listener.await_notification(1, 0);
  CAF_CHECK_EQUAL(heard.got, (std::vector<std::string>{"account:6"}));
  CAF_CHECK_EQUAL(conn->take_changed(), (std::vector<account_id>{6}));
}

CAF_TEST_FIXTURE_SCOPE_END()
