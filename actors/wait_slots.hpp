#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>

namespace idclaim::actors {

/// When each piece of work now in a bounded queue (the storage queue, the
/// hash pool) came in, so that an operator can see how long the oldest has
/// waited.
///
/// Why slots: the work finishes out of order (several storage workers,
/// several hash threads), so a FIFO of times would not do; the queue is
/// bounded, so one slot per place is. Taking a place stores its time in a
/// free slot (a compare-exchange, usually the first one tried); giving it
/// back clears the slot; oldest_wait() scans the slots, which is for a
/// scrape, not per piece of work. Every member is thread-safe and
/// lock-free. Past `max_slots` places the extra work is not timed (the
/// figure may then read low).
class wait_slots {
public:
  using time_point = std::chrono::steady_clock::time_point;
  using duration = std::chrono::steady_clock::duration;
  using clock_fn = std::function<time_point()>;

  /// No slot (the work is not timed).
  static constexpr std::size_t none = std::numeric_limits<std::size_t>::max();

  /// The most slots kept, whatever the bound (8 bytes each).
  static constexpr std::size_t max_slots = 65536;

  /// Slots for `places` pieces of work, timed by `now` (default: the
  /// steady clock; tests pass their own).
  explicit wait_slots(std::size_t places, clock_fn now = {});

  /// Stores the time now in a free slot and returns it; `none` when every
  /// slot is taken.
  std::size_t take();

  /// Frees `slot` (from take(); `none` is ignored).
  void give_back(std::size_t slot) noexcept;

  /// How long the oldest piece of work holding a slot has been in; zero
  /// when none does.
  duration oldest_wait() const;

private:
  /// A slot holds the time since the clock's epoch in its ticks; 0: free.
  static std::int64_t ticks(time_point t);

  std::size_t size_;
  std::unique_ptr<std::atomic<std::int64_t>[]> since_;
  std::atomic<std::size_t> cursor_{0};
  clock_fn now_;
};

} // namespace idclaim::actors
