#define CAF_SUITE actors.pg_db_pool
#include <caf/test/unit_test.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/db_pool.hpp"
#include "config/app_config.hpp"
#include "storage/storage_error.hpp"
#include "tests/support/signal_flag.hpp"
#include "tests/support/storage_fixture.hpp"

using namespace idclaim;
using namespace idclaim::actors;
using namespace idclaim::testing;
using namespace std::chrono_literals;

namespace {

struct fixture : storage_fixture {
  config::app_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::mutex changes_mtx;
  std::condition_variable changes_cv;
  std::vector<int64_t> changes; ///< what the pool told its sink
  db_actor pool;

  fixture() {
    // Without PostgreSQL every test skips itself (REQUIRE_POSTGRES).
    if (!tdb.postgres())
      return;
    cfg.set("scheduler.max-threads", 2);
    cfg.set("logger.file-verbosity", caf::atom("quiet"));
    sys = std::make_unique<caf::actor_system>(cfg);
    db_pool_options options;
    options.workers = 2;
    pool = spawn_db_pool(*sys, db, std::move(options));
    // The unused int: CAF 0.17.6 dereferences a null tuple when it spawns a
    // function that takes only `self` (UBSan; see actors/bridge_actor.cpp).
    auto sink = sys->spawn(
      [this](caf::event_based_actor*, int) -> caf::behavior {
        return {
          [this](changed_atom, std::vector<int64_t>& ids) {
            {
              std::lock_guard<std::mutex> guard{changes_mtx};
              changes.insert(changes.end(), ids.begin(), ids.end());
            }
            changes_cv.notify_all();
          },
        };
      },
      0);
    caf::anon_send(pool, sink_atom_v, sink);
  }

  /// What the sink heard once it heard `n` accounts (or after 10 s).
  std::vector<int64_t> heard(std::size_t n) {
    std::unique_lock<std::mutex> lock{changes_mtx};
    changes_cv.wait_for(lock, 10s, [&] { return changes.size() >= n; });
    return changes;
  }

  ~fixture() {
    if (sys) {
      caf::anon_send_exit(pool, caf::exit_reason::user_shutdown);
      sys->await_all_actors_done();
    }
  }

  /// Sends `work` to the pool and waits for the answer: "ok" or the code.
  std::string run(std::function<void(storage::connection&)> work) {
    caf::scoped_actor self{*sys};
    std::string out = "none";
    self->request(pool, 30s, run_atom_v, db_job{std::move(work)})
      .receive([&](bool) { out = "ok"; },
               [&](caf::error& err) {
                 out = std::string{info(to_problem(err).code).code};
               });
    return out;
  }

  int64_t lock_seq(storage::claim_id id) {
    return conn->driver()
      .exec("SELECT lock_seq FROM claims WHERE id = ?1", {id})
      .rows.at(0)
      .integer(0);
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(pg_db_pool_tests, fixture)

CAF_TEST(a job commits and is answered true) {
  REQUIRE_POSTGRES();
  CAF_CHECK_EQUAL(run([](storage::connection& c) {
                    c.claims().ensure_locked("pooled", "c", 1);
                  }),
                  "ok");
  CAF_CHECK(conn->claims().find("pooled").has_value());
}

CAF_TEST(a deadlock is retried and both jobs commit once) {
  REQUIRE_POSTGRES();
  auto a = claim("lock-a");
  auto b = claim("lock-b");
  auto start_a = lock_seq(a);
  auto start_b = lock_seq(b);
  signal_flag a_locked;
  signal_flag b_locked;
  std::atomic<int> tries_one{0};
  std::atomic<int> tries_two{0};
  caf::scoped_actor self{*sys};
  // Job one locks a then b; job two locks b then a, each first try waiting
  // for the other's first lock: the server sees a deadlock and aborts one.
  auto one
    = self->request(pool, 30s, run_atom_v, db_job{[&](storage::connection& c) {
                      auto attempt = ++tries_one;
                      c.claims().lock(a);
                      if (attempt == 1) {
                        a_locked.raise();
                        b_locked.wait_for(10s);
                      }
                      c.claims().lock(b);
                    }});
  auto two
    = self->request(pool, 30s, run_atom_v, db_job{[&](storage::connection& c) {
                      auto attempt = ++tries_two;
                      if (attempt == 1)
                        a_locked.wait_for(10s);
                      c.claims().lock(b);
                      if (attempt == 1)
                        b_locked.raise();
                      c.claims().lock(a);
                    }});
  std::vector<std::string> answers;
  for (auto* h : {&one, &two})
    h->receive([&](bool) { answers.push_back("ok"); },
               [&](caf::error& err) { answers.push_back(to_string(err)); });
  CAF_CHECK_EQUAL(answers, (std::vector<std::string>{"ok", "ok"}));
  CAF_CHECK_EQUAL(tries_one + tries_two, 3);
  // The aborted try left nothing behind: each claim was locked twice.
  CAF_CHECK_EQUAL(lock_seq(a), start_a + 2);
  CAF_CHECK_EQUAL(lock_seq(b), start_b + 2);
}

CAF_TEST(a retried job forgets the changes of its failed try) {
  REQUIRE_POSTGRES();
  int tries = 0;
  auto answer = run([&](storage::connection& c) {
    ++tries;
    c.account_changed(tries == 1 ? 100 : 200);
    if (tries == 1)
      throw storage::storage_error("simulated serialization failure",
                                   storage::failure_kind::serialization);
  });
  CAF_CHECK_EQUAL(answer, "ok");
  CAF_CHECK_EQUAL(tries, 2);
  // A failed job tells nothing; the next one's change arrives after it.
  CAF_CHECK_EQUAL(run([](storage::connection& c) {
                    c.account_changed(300);
                    throw std::runtime_error("bug");
                  }),
                  "STORAGE_FAILED");
  CAF_CHECK_EQUAL(run([](storage::connection& c) { c.account_changed(400); }),
                  "ok");
  CAF_CHECK_EQUAL(heard(2), (std::vector<int64_t>{200, 400}));
}

CAF_TEST(failures that cannot pass are not retried) {
  REQUIRE_POSTGRES();
  struct failing {
    std::string name;
    std::function<void()> raise;
  };
  std::vector<failing> table{
    {"unique violation",
     [] {
       throw storage::storage_error("x",
                                    storage::failure_kind::unique_violation);
     }},
    {"other storage error", [] { throw storage::storage_error("x"); }},
    {"any exception", [] { throw std::runtime_error("bug"); }},
  };
  for (auto& f : table) {
    CAF_MESSAGE(f.name);
    int tries = 0;
    CAF_CHECK_EQUAL(run([&](storage::connection&) {
                      ++tries;
                      f.raise();
                    }),
                    "STORAGE_FAILED");
    CAF_CHECK_EQUAL(tries, 1);
  }
}

CAF_TEST(a job that keeps failing gives up after five tries) {
  REQUIRE_POSTGRES();
  int tries = 0;
  CAF_CHECK_EQUAL(run([&](storage::connection& c) {
                    ++tries;
                    c.claims().ensure_locked("never", "c", 1);
                    throw storage::storage_error(
                      "x", storage::failure_kind::serialization);
                  }),
                  "STORAGE_FAILED");
  CAF_CHECK_EQUAL(tries, 5);
  CAF_CHECK(!conn->claims().find("never").has_value());
}

CAF_TEST(a worker blocked on a lock holds up no other job) {
  REQUIRE_POSTGRES();
  auto held = claim("held");
  // This connection holds the claim's row lock; the first job waits for it.
  conn->begin();
  conn->claims().lock(held);
  caf::scoped_actor self{*sys};
  auto blocked = self->request(
    pool, 30s, run_atom_v,
    db_job{[&](storage::connection& c) { c.claims().lock(held); }});
  // Two more jobs, one after the other: a round-robin pool would queue
  // the second behind the blocked worker.
  for (auto key : {"free-1", "free-2"})
    CAF_CHECK_EQUAL(run([key](storage::connection& c) {
                      c.claims().ensure_locked(key, "c", 1);
                    }),
                    "ok");
  conn->commit();
  std::string answer;
  blocked.receive([&](bool) { answer = "ok"; },
                  [&](caf::error& err) { answer = to_string(err); });
  CAF_CHECK_EQUAL(answer, "ok");
}

CAF_TEST(the backoff doubles up to its cap) {
  retry_policy p;
  CAF_CHECK_EQUAL(p.backoff(1).count(), 5);
  CAF_CHECK_EQUAL(p.backoff(2).count(), 10);
  CAF_CHECK_EQUAL(p.backoff(4).count(), 40);
  CAF_CHECK_EQUAL(p.backoff(5).count(), 80);
  CAF_CHECK_EQUAL(p.backoff(9).count(), 80);
}

CAF_TEST_FIXTURE_SCOPE_END()
