#define CAF_SUITE actors.cpu_pool
#include <caf/test/unit_test.hpp>

#include <chrono>
#include <functional>
#include <memory>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/cpu_pool.hpp"

using namespace idclaim;
using namespace idclaim::actors;
using namespace std::chrono_literals;

namespace {

/// Runs `work` on the pool's next worker and waits until it is done.
void run_on_pool(caf::actor_system& sys, cpu_pool& pool,
                 std::function<void()> work) {
  caf::scoped_actor self{sys};
  bool done = false;
  self
    ->request(pool.next(), caf::infinite, run_atom_v,
              cpu_task{std::move(work)})
    .receive([&](bool ok) { done = ok; },
             [](caf::error& err) { CAF_FAIL(to_string(err)); });
  CAF_REQUIRE(done);
}

/// Runs one task on the pool that keeps its worker busy for `busy`: the
/// stand-in for a password hash of known cost.
void run_busy_task(caf::actor_system& sys, cpu_pool& pool,
                   std::chrono::milliseconds busy) {
  run_on_pool(sys, pool, [busy] {
    auto until = std::chrono::steady_clock::now() + busy;
    while (std::chrono::steady_clock::now() < until) {
    }
  });
}

struct fixture {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(cpu_pool_tests, fixture)

CAF_TEST(the queue bound refuses past its limit) {
  cpu_pool pool{sys, 1, crypto::hash_cost::fast, 2};
  auto first = pool.try_reserve();
  CAF_CHECK(first);
  CAF_CHECK(pool.try_reserve());
  CAF_CHECK(!pool.try_reserve());
  CAF_CHECK_EQUAL(pool.rejected(), 1u);
  pool.release(first);
  CAF_CHECK(pool.try_reserve());
  pool.stop();
}

CAF_TEST(a task that would wait past the budget is refused at once) {
  cpu_pool pool{sys, 1, crypto::hash_cost::fast, 100, 2ms};
  // No task measured yet: no estimate, only the queue bound applies.
  auto place = pool.try_reserve();
  CAF_REQUIRE(place);
  run_busy_task(sys, pool, 6ms);
  pool.release(place);
  // One task now takes ~6 ms on the only worker: even the first in line
  // would wait longer than the 2 ms budget.
  CAF_CHECK(!pool.try_reserve());
  CAF_CHECK_EQUAL(pool.rejected(), 1u);
  CAF_CHECK_EQUAL(pool.outstanding(), 0u);
  pool.stop();
}

CAF_TEST(without a budget the measured time does not refuse) {
  cpu_pool pool{sys, 1, crypto::hash_cost::fast, 100};
  auto place = pool.try_reserve();
  CAF_REQUIRE(place);
  run_busy_task(sys, pool, 6ms);
  pool.release(place);
  place = pool.try_reserve();
  CAF_CHECK(place);
  pool.release(place);
  pool.stop();
}

CAF_TEST(the pool knows how long its oldest task has been in) {
  auto now = std::make_shared<std::chrono::steady_clock::time_point>(
    std::chrono::hours{2});
  cpu_pool pool{sys, 1, crypto::hash_cost::fast, 8, {}, [now] {
                  return *now; }};
  CAF_CHECK(pool.oldest_wait() == 0s);
  auto first = pool.try_reserve();
  *now += 2s;
  auto second = pool.try_reserve();
  *now += 5s;
  CAF_CHECK(pool.oldest_wait() == 7s);
  pool.release(first);
  CAF_CHECK(pool.oldest_wait() == 5s);
  pool.release(second);
  CAF_CHECK(pool.oldest_wait() == 0s);
  CAF_CHECK_EQUAL(pool.outstanding(), 0u);
  pool.stop();
}

/// The scheduling policy of the thread that runs a task on `pool`.
worker_priority priority_seen_by_a_task(caf::actor_system& sys,
                                        cpu_pool& pool) {
  auto seen = std::make_shared<worker_priority>(worker_priority::normal);
  run_on_pool(sys, pool, [seen] { *seen = this_thread_priority(); });
  return *seen;
}

CAF_TEST(hash threads run at the priority the pool was given) {
  cpu_pool idle{sys, 2, crypto::hash_cost::fast, 8, {}, {},
                worker_priority::idle};
  // Both workers (round robin), not just the first.
  CAF_CHECK(priority_seen_by_a_task(sys, idle) == worker_priority::idle);
  CAF_CHECK(priority_seen_by_a_task(sys, idle) == worker_priority::idle);
  idle.stop();
  cpu_pool normal{sys, 1, crypto::hash_cost::fast, 8};
  CAF_CHECK(priority_seen_by_a_task(sys, normal) == worker_priority::normal);
  normal.stop();
  // The caller's own thread is left as it was.
  CAF_CHECK(this_thread_priority() == worker_priority::normal);
}

CAF_TEST(hash priority names parse and others are refused) {
  CAF_CHECK(parse_worker_priority("idle") == worker_priority::idle);
  CAF_CHECK(parse_worker_priority("normal") == worker_priority::normal);
  CAF_CHECK(!parse_worker_priority("low").has_value());
  CAF_CHECK(!parse_worker_priority("").has_value());
}

CAF_TEST_FIXTURE_SCOPE_END()
