#include "actors/wait_slots.hpp"

#include <algorithm>

namespace idclaim::actors {

wait_slots::wait_slots(std::size_t places, clock_fn now)
  : size_(std::min(places, max_slots)),
    since_(new std::atomic<std::int64_t>[size_]),
    now_(now ? std::move(now) : clock_fn{&std::chrono::steady_clock::now}) {
  for (std::size_t i = 0; i < size_; ++i)
    since_[i].store(0, std::memory_order_relaxed);
}

std::int64_t wait_slots::ticks(time_point t) {
  // 0 marks a free slot; a clock at its very epoch is one tick late.
  return std::max<std::int64_t>(1, t.time_since_epoch().count());
}

std::size_t wait_slots::take() {
  if (size_ == 0)
    return none;
  auto at = ticks(now_());
  // Start where the last taker did not, so that concurrent takers rarely
  // try the same slot.
  auto start = cursor_.fetch_add(1, std::memory_order_relaxed);
  for (std::size_t i = 0; i < size_; ++i) {
    auto slot = (start + i) % size_;
    std::int64_t free = 0;
    if (since_[slot].compare_exchange_strong(free, at,
                                             std::memory_order_relaxed))
      return slot;
  }
  return none;
}

void wait_slots::give_back(std::size_t slot) noexcept {
  if (slot < size_)
    since_[slot].store(0, std::memory_order_relaxed);
}

wait_slots::duration wait_slots::oldest_wait() const {
  auto oldest = std::numeric_limits<std::int64_t>::max();
  for (std::size_t i = 0; i < size_; ++i) {
    auto t = since_[i].load(std::memory_order_relaxed);
    if (t != 0)
      oldest = std::min(oldest, t);
  }
  if (oldest == std::numeric_limits<std::int64_t>::max())
    return duration::zero();
  auto now = now_().time_since_epoch().count();
  return duration{std::max<std::int64_t>(0, now - oldest)};
}

} // namespace idclaim::actors
