#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "actors/wait_slots.hpp"

namespace idclaim::actors {

/// A bound on the work waiting in front of a worker (the storage actor).
///
/// Why: a mailbox is unbounded, so under overload it would grow until the
/// deadline of every request in it had passed. Senders take a pass before
/// they send; past the bound they get none and answer 503 at once. The
/// pass travels with the work (captured by its closure) and gives its
/// place back when the work is destroyed, whoever ran it and however it
/// ended. Every member is thread-safe and lock-free. It also remembers when
/// each pass was taken (wait_slots), for the oldest wait operators watch.
class queue_gate : public std::enable_shared_from_this<queue_gate> {
public:
  /// Holds one place in the queue until the last copy is destroyed; null
  /// when the gate refused.
  using pass = std::shared_ptr<const void>;

  /// Makes a gate admitting at most `limit` pieces of work at once (zero
  /// refuses everything, which tests use to force overload); waits are
  /// timed by `now` (default: the steady clock).
  static std::shared_ptr<queue_gate> make(std::size_t limit,
                                          wait_slots::clock_fn now = {});

  /// A pass, or null when `limit()` pieces of work hold one already.
  pass try_enter();

  /// The pieces of work admitted and not yet finished.
  std::size_t depth() const noexcept {
    return depth_.load(std::memory_order_relaxed);
  }

  /// The bound.
  std::size_t limit() const noexcept { return limit_; }

  /// How long the oldest piece of work holding a pass has held it (waiting
  /// or running); zero when the queue is empty.
  wait_slots::duration oldest_wait() const { return slots_.oldest_wait(); }

  /// How many times the gate refused since start-up.
  std::uint64_t rejected() const noexcept {
    return rejected_.load(std::memory_order_relaxed);
  }

private:
  queue_gate(std::size_t limit, wait_slots::clock_fn now)
    : limit_(limit), slots_(limit, std::move(now)) {}

  void leave() noexcept { depth_.fetch_sub(1, std::memory_order_relaxed); }

  const std::size_t limit_;
  std::atomic<std::size_t> depth_{0};
  std::atomic<std::uint64_t> rejected_{0};
  wait_slots slots_;
};

/// Takes a pass from `gate` into `out`; a null gate (no bound) admits
/// everything and leaves `out` null. Returns false when refused.
inline bool try_admit(const std::shared_ptr<queue_gate>& gate,
                      queue_gate::pass& out) {
  if (gate == nullptr)
    return true;
  out = gate->try_enter();
  return out != nullptr;
}

} // namespace idclaim::actors
