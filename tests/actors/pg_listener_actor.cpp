#define CAF_SUITE actors.pg_listener_actor
#include <caf/test/unit_test.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>

#include "actors/listener_actor.hpp"
#include "config/app_config.hpp"
#include "storage/pg_database.hpp"
#include "tests/support/storage_fixture.hpp"

using namespace idclaim;
using namespace idclaim::actors;
using namespace idclaim::testing;
using namespace std::chrono_literals;

namespace {

struct fixture : storage_fixture {
  config::app_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::mutex mtx;
  std::condition_variable cv;
  std::vector<int64_t> changes; ///< what the sink heard, in order
  int resyncs = 0;
  listener_actor listener;

  fixture() {
    if (!tdb.postgres())
      return;
    cfg.set("scheduler.max-threads", 2);
    cfg.set("logger.file-verbosity", caf::atom("quiet"));
    sys = std::make_unique<caf::actor_system>(cfg);
    // The unused int: CAF 0.17.6 dereferences a null tuple when it spawns a
    // function that takes only `self` (UBSan; see actors/bridge_actor.cpp).
    auto sink = sys->spawn(
      [this](caf::event_based_actor*, int) -> caf::behavior {
        return {
          [this](changed_atom, std::vector<int64_t>& ids) {
            {
              std::lock_guard<std::mutex> guard{mtx};
              changes.insert(changes.end(), ids.begin(), ids.end());
            }
            cv.notify_all();
          },
          [this](resync_atom) {
            {
              std::lock_guard<std::mutex> guard{mtx};
              ++resyncs;
            }
            cv.notify_all();
          },
        };
      },
      0);
    listener_options options;
    options.poll = 50ms;
    options.first_backoff = 10ms;
    listener = spawn_listener_actor(
      *sys, dynamic_cast<storage::pg_database&>(*db).options(), sink, options);
  }

  ~fixture() {
    if (sys) {
      caf::anon_send_exit(listener, caf::exit_reason::user_shutdown);
      sys->await_all_actors_done();
    }
  }

  /// Waits (10 s at most) until the sink heard `n` resyncs.
  int resynced(int n) {
    std::unique_lock<std::mutex> lock{mtx};
    cv.wait_for(lock, 10s, [&] { return resyncs >= n; });
    return resyncs;
  }

  /// Waits (10 s at most) until the sink heard `n` accounts.
  std::vector<int64_t> heard(std::size_t n) {
    std::unique_lock<std::mutex> lock{mtx};
    cv.wait_for(lock, 10s, [&] { return changes.size() >= n; });
    return changes;
  }

  /// Commits a job that changed `id`, as another process would.
  void change(account_id id) {
    conn->begin();
    conn->account_changed(id);
    conn->commit();
    conn->take_changed();
  }

  /// Ends the listener's server connection, as a restarted server would.
  int64_t kill_listener_backend() {
    auto r = conn->driver().exec(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE "
      "application_name = 'idclaim-listener' AND datname = "
      "current_database()",
      {});
    return static_cast<int64_t>(r.rows.size());
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(pg_listener_actor_tests, fixture)

CAF_TEST(it resyncs once connected and forwards what others commit) {
  REQUIRE_POSTGRES();
  // The first resync also says that LISTEN is in place.
  CAF_REQUIRE_EQUAL(resynced(1), 1);
  change(21);
  change(22);
  CAF_CHECK_EQUAL(heard(2), (std::vector<int64_t>{21, 22}));
}

CAF_TEST(after the link broke it reconnects resyncs and forwards again) {
  REQUIRE_POSTGRES();
  CAF_REQUIRE_EQUAL(resynced(1), 1);
  CAF_REQUIRE_EQUAL(kill_listener_backend(), 1);
  CAF_CHECK_EQUAL(resynced(2), 2);
  change(31);
  CAF_CHECK_EQUAL(heard(1), (std::vector<int64_t>{31}));
}

CAF_TEST_FIXTURE_SCOPE_END()
