#define CAF_SUITE actors.account_actor
#include <caf/test/dsl.hpp>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <caf/typed_response_promise.hpp>

#include "actors/account_registry.hpp"
#include "config/app_config.hpp"
#include "tests/support/test_database.hpp"
#include "tests/support/test_service.hpp"

using namespace idclaim;
using namespace idclaim::actors;

namespace {

/// Jobs the stand-in holds back while `stalled` is set.
struct held_reads {
  bool stalled = false;
  std::vector<std::pair<db_job, caf::typed_response_promise<bool>>> jobs;
};

/// Stands in front of the storage actor that the account actors use and
/// counts the jobs they send it: each one is a storage read of the live
/// view. While `held->stalled`, it keeps them; `flush_atom` (which account
/// actors never send) lets them through and ends the stall.
db_actor::behavior_type counting_impl(db_actor::pointer self, db_actor real,
                                      std::shared_ptr<int> reads,
                                      std::shared_ptr<held_reads> held) {
  return {
    [=](run_atom, db_job& job) -> caf::typed_response_promise<bool> {
      *reads += 1;
      auto promise = self->make_response_promise<bool>();
      if (held->stalled)
        held->jobs.emplace_back(std::move(job), promise);
      else
        self->request(real, caf::infinite, run_atom_v, std::move(job))
          .then([promise](bool ok) mutable { promise.deliver(ok); });
      return promise;
    },
    [=](flush_atom) {
      held->stalled = false;
      for (auto& [job, promise] : std::exchange(held->jobs, {}))
        self->request(real, caf::infinite, run_atom_v, std::move(job))
          .then([p = promise](bool ok) mutable { p.deliver(ok); });
    },
    [](sink_atom, caf::actor) {},
    [](stop_atom) {},
  };
}

struct fixture : test_coordinator_fixture<config::app_config> {
  testing::temp_dir dir;
  testing::test_database tdb{dir.path() + "/t.sqlite3"};
  std::shared_ptr<storage::database> database;
  db_actor db; ///< the storage actor, which tells the registry of changes
  std::shared_ptr<int> reads = std::make_shared<int>(0);
  std::shared_ptr<held_reads> held = std::make_shared<held_reads>();
  db_actor reader; ///< the counting stand-in
  account_registry registry;
  account_id mate = 0;
  std::shared_ptr<std::vector<std::string>> frames
    = std::make_shared<std::vector<std::string>>();

  fixture() {
    database = tdb.db();
    database->migrate();
    db = spawn_db_actor_for_tests(sys, database, 64);
    account_context ctx;
    reader = sys.spawn(counting_impl, db, reads, held);
    ctx.db = reader;
    ctx.time = std::make_shared<system_clock_source>();
    registry = spawn_account_registry(sys, ctx);
    caf::anon_send(db, sink_atom_v, caf::actor_cast<caf::actor>(registry));
    mate = make_account();
    deliver();
  }

  ~fixture() {
    // Account actors re-arm their idle timer for as long as they live; the
    // registry takes its linked account actors down with it, so the base
    // fixture's final run() ends.
    caf::anon_send_exit(registry, caf::exit_reason::user_shutdown);
    deliver();
  }

  /// Delivers every queued message but fires no timer (account actors
  /// re-arm their idle timer forever).
  void deliver() {
    sched.run();
  }

  account_id make_account() {
    auto conn = database->connect();
    conn->begin();
    auto claim = conn->claims().ensure_locked("k-mate", "cipher", 1000);
    storage::new_account a;
    a.username = a.username_key = "mate";
    a.password_hash = "hash";
    a.name_cipher = "n";
    a.claim = claim;
    a.status = account_status::active;
    a.now_ms = 2000;
    auto id = std::get<account_id>(conn->accounts().insert(a));
    conn->commit();
    return id;
  }

  /// Opens a live connection of `mate` that records its frames.
  void join() {
    event_subscriber s;
    s.id = 1;
    s.push = [out = frames](std::shared_ptr<const std::string> f) {
      out->push_back(*f);
    };
    caf::anon_send(registry, join_ws_atom_v, mate, std::move(s));
    deliver();
  }

  /// Commits a job on the storage actor that gives `mate` a new inbox item
  /// and records the change with `record`.
  template <class Record>
  void commit_item(Record record) {
    db_job job{[id = mate, record](storage::connection& conn) {
      conn.inbox().add(id, storage::inbox_kind::assist_declined, std::nullopt,
                       std::nullopt, "", 3000);
      record(conn, id);
    }};
    auto hdl = self->request(db, caf::infinite, run_atom_v, std::move(job));
    deliver();
    hdl.receive([](bool) {},
                [](caf::error& err) { CAF_FAIL(to_string(err)); });
    deliver();
  }

  std::string last_frame() const {
    return frames->empty() ? std::string{} : frames->back();
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(account_actor_tests, fixture)

CAF_TEST(a new connection gets the view read from storage) {
  join();
  CAF_CHECK_EQUAL(*reads, 1);
  CAF_REQUIRE_EQUAL(frames->size(), 2u);
  auto inbox = frames->front();
  CAF_CHECK_EQUAL(inbox, R"({"type":"inbox","unread":0})");
}

CAF_TEST(an inbox change pushes the committed count without a storage read) {
  join();
  auto before = *reads;
  auto pushed = frames->size();
  commit_item([](storage::connection& conn, account_id id) {
    conn.inbox_changed(id);
  });
  auto frame = last_frame();
  if (tdb.postgres()) {
    // PostgreSQL takes no count in the transaction (several writers), so
    // the view is read afresh.
    CAF_CHECK_EQUAL(*reads, before + 1);
  } else {
    CAF_CHECK_EQUAL(*reads, before);
  }
  CAF_CHECK_EQUAL(frames->size(), pushed + 1);
  CAF_CHECK_EQUAL(frame, R"({"type":"inbox","unread":1})");
  // A second item: the count keeps following the commits.
  commit_item([](storage::connection& conn, account_id id) {
    conn.inbox_changed(id);
  });
  frame = last_frame();
  CAF_CHECK_EQUAL(frame, R"({"type":"inbox","unread":2})");
}

CAF_TEST(any other change still reads the view afresh) {
  join();
  auto before = *reads;
  commit_item([](storage::connection& conn, account_id id) {
    conn.account_changed(id);
  });
  CAF_CHECK_EQUAL(*reads, before + 1);
  auto frame = last_frame();
  CAF_CHECK_EQUAL(frame, R"({"type":"inbox","unread":1})");
}

CAF_TEST(a count arriving while a read is in flight waits for that read) {
  held->stalled = true;
  join();
  CAF_REQUIRE_EQUAL(held->jobs.size(), 1u);
  CAF_CHECK(frames->empty());
  // A count arrives before the read answered: it must not be shown (the
  // read's answer may be older or newer), a second read follows instead.
  caf::anon_send(registry, changed_atom_v, std::vector<int64_t>{mate},
                 std::vector<int64_t>{7});
  deliver();
  CAF_CHECK(frames->empty());
  caf::anon_send(reader, flush_atom_v);
  deliver();
  CAF_CHECK_EQUAL(*reads, 2);
  for (auto& f : *frames)
    CAF_CHECK_EQUAL(f.find(R"("unread":7)"), std::string::npos);
  CAF_REQUIRE_EQUAL(frames->size(), 2u);
  auto inbox = frames->front();
  CAF_CHECK_EQUAL(inbox, R"({"type":"inbox","unread":0})");
}

CAF_TEST_FIXTURE_SCOPE_END()
