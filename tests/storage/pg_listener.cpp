#define CAF_SUITE storage.pg_listener
#include <caf/test/unit_test.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "storage/pg_database.hpp"
#include "storage/pg_listener.hpp"
#include "storage/storage_error.hpp"
#include "tests/support/storage_fixture.hpp"

using namespace idclaim;
using namespace idclaim::storage;
using namespace idclaim::testing;
using namespace std::chrono_literals;

namespace {

struct fixture : storage_fixture {
  std::optional<pg_listener> listener;

  fixture() {
    if (tdb.postgres())
      listener.emplace(dynamic_cast<pg_database&>(*db).options());
  }

  /// Commits a job that changed `ids` (rolls it back when `commit` is
  /// false).
  void change(std::vector<account_id> ids, bool commit = true) {
    conn->begin();
    for (auto id : ids)
      conn->account_changed(id);
    if (commit)
      conn->commit();
    else
      conn->rollback();
    conn->take_changed();
  }

  /// What the listener hears until it heard `n` accounts or 10 s passed.
  std::vector<account_id> hear(std::size_t n) {
    std::vector<account_id> out;
    auto deadline = std::chrono::steady_clock::now() + 10s;
    while (out.size() < n && std::chrono::steady_clock::now() < deadline)
      for (auto id : listener->wait(100ms))
        out.push_back(id);
    return out;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(pg_listener_tests, fixture)

CAF_TEST(only well formed payloads name an account) {
  struct row {
    std::string payload;
    std::optional<account_id> id;
  };
  std::vector<row> rows{
    {"account:1", 1},
    {"account:9007199254740993", 9007199254740993},
    {"account:", std::nullopt},
    {"account:0", std::nullopt},
    {"account:-4", std::nullopt},
    {"account:12x", std::nullopt},
    {"account: 12", std::nullopt},
    {"acct:12", std::nullopt},
    {"", std::nullopt},
  };
  for (auto& r : rows) {
    CAF_MESSAGE("payload '" << r.payload << "'");
    CAF_CHECK_EQUAL(parse_change_payload(r.payload), r.id);
  }
}

CAF_TEST(committed changes are heard and rolled back ones are not ) {
  REQUIRE_POSTGRES();
  listener->connect();
  CAF_CHECK(listener->connected());
  CAF_CHECK(listener->wait(10ms).empty());
  change({7}, false);
  change({8, 9});
  CAF_CHECK_EQUAL(hear(2), (std::vector<account_id>{8, 9}));
}

CAF_TEST(a broken link is reported and a reconnect listens again) {
  REQUIRE_POSTGRES();
  listener->connect();
  auto pid = listener->backend_pid();
  CAF_REQUIRE(pid > 0);
  conn->driver().exec("SELECT pg_terminate_backend(?1)",
                      {static_cast<int64_t>(pid)});
  std::optional<failure_kind> failed;
  auto deadline = std::chrono::steady_clock::now() + 10s;
  while (!failed && std::chrono::steady_clock::now() < deadline) {
    try {
      listener->wait(100ms);
    } catch (const storage_error& e) {
      failed = e.kind();
    }
  }
  CAF_CHECK_EQUAL(failed, std::optional{failure_kind::connection_lost});
  CAF_CHECK(!listener->connected());
  CAF_CHECK_EQUAL(listener->backend_pid(), 0);
  listener->connect();
  CAF_CHECK_NOT_EQUAL(listener->backend_pid(), pid);
  change({11});
  CAF_CHECK_EQUAL(hear(1), (std::vector<account_id>{11}));
}

CAF_TEST(an unreachable server fails connect as a lost connection) {
  REQUIRE_POSTGRES();
  pg_options nowhere;
  nowhere.url = "postgresql://idclaim@127.0.0.1:1/postgres";
  pg_listener l{nowhere};
  std::optional<failure_kind> failed;
  try {
    l.connect();
  } catch (const storage_error& e) {
    failed = e.kind();
  }
  CAF_CHECK_EQUAL(failed, std::optional{failure_kind::connection_lost});
  CAF_CHECK(!l.connected());
}

CAF_TEST_FIXTURE_SCOPE_END()
