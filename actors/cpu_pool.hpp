#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <caf/typed_actor.hpp>

#include "actors/messages.hpp"
#include "actors/wait_slots.hpp"
#include "actors/worker_priority.hpp"
#include "crypto/password_hash.hpp"

namespace idclaim::actors {

/// A CPU worker on its own (detached) thread: password hashes (Argon2id
/// takes ~100 ms at interactive cost), verifications, and other CPU-heavy
/// tasks such as photo checks — all outside every per-ID critical section
/// and off the Asio and scheduler threads.
using cpu_worker = caf::typed_actor<
  caf::replies_to<run_atom, std::string>::with<std::string>,
  caf::replies_to<check_atom, std::string, std::string>::with<bool>,
  caf::replies_to<run_atom, cpu_task>::with<bool>>;

/// A bounded pool of CPU workers. Callers reserve a slot first; when the
/// pool is full they answer 503 at once instead of queueing without bound.
///
/// "Full" is the smaller of two bounds: `queue_limit` tasks, and as many as
/// the workers can finish within `wait_budget` at the measured task time.
/// The second keeps a queued hash from outliving its request: at
/// interactive cost two workers finish ~20 hashes a second, so a queue of
/// hundreds would only answer 503 TIMEOUT after the deadline.
class cpu_pool {
public:
  /// A place taken in the pool; false when the pool refused.
  struct reservation {
    bool ok = false;
    std::size_t slot = wait_slots::none; ///< when it came in (wait_slots)

    explicit operator bool() const noexcept { return ok; }
  };

  /// `now` times the waits (default: the steady clock; tests pass theirs);
  /// the worker threads run at `priority` (see worker_priority).
  cpu_pool(caf::actor_system& sys, std::size_t threads, crypto::hash_cost cost,
           std::size_t queue_limit, std::chrono::milliseconds wait_budget = {},
           wait_slots::clock_fn now = {},
           worker_priority priority = worker_priority::normal);

  /// Takes a place, or returns a false one when the pool is full (see
  /// above).
  reservation try_reserve();

  /// Gives a place back (call once per successful try_reserve).
  void release(reservation r);

  /// How long the oldest task holding a place has held it (waiting or
  /// running); zero when none does.
  wait_slots::duration oldest_wait() const { return since_.oldest_wait(); }

  /// The next worker, round robin.
  cpu_worker next();

  /// Hashes in flight or waiting.
  std::size_t outstanding() const { return outstanding_.load(); }

  /// The most hashes in flight or waiting before try_reserve refuses.
  std::size_t limit() const { return limit_; }

  /// How many times try_reserve refused since start-up.
  std::uint64_t rejected() const {
    return rejected_.load(std::memory_order_relaxed);
  }

  crypto::hash_cost cost() const { return cost_; }

  void stop();

private:
  std::vector<cpu_worker> workers_;
  /// Moving average of one task's time in microseconds, kept by the workers.
  std::shared_ptr<std::atomic<std::int64_t>> task_us_
    = std::make_shared<std::atomic<std::int64_t>>(0);
  std::chrono::milliseconds wait_budget_;
  std::atomic<std::size_t> next_{0};
  std::atomic<std::size_t> outstanding_{0};
  std::atomic<std::uint64_t> rejected_{0};
  std::size_t limit_;
  crypto::hash_cost cost_;
  wait_slots since_;
};

} // namespace idclaim::actors
