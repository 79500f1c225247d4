#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <caf/typed_actor.hpp>

#include "actors/messages.hpp"
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
class cpu_pool {
public:
  cpu_pool(caf::actor_system& sys, std::size_t threads,
            crypto::hash_cost cost, std::size_t queue_limit);

  /// Takes a slot, or returns false when `queue_limit` hashes wait already.
  bool try_reserve();

  /// Gives a slot back (call once per successful try_reserve).
  void release();

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
  std::atomic<std::size_t> next_{0};
  std::atomic<std::size_t> outstanding_{0};
  std::atomic<std::uint64_t> rejected_{0};
  std::size_t limit_;
  crypto::hash_cost cost_;
};

} // namespace idclaim::actors
