#pragma once

#include <atomic>

namespace idclaim::metrics {

/// Adds `delta` to `target` without a lock. C++17 has no fetch_add for
/// atomic<double>, so this is a compare-and-swap loop; it is wait-free in
/// practice because metric updates are tiny and rarely collide.
inline void atomic_add(std::atomic<double>& target, double delta) noexcept {
  auto old = target.load(std::memory_order_relaxed);
  while (!target.compare_exchange_weak(old, old + delta,
                                       std::memory_order_relaxed)) {
    // `old` now holds the current value; retry with it.
  }
}

} // namespace idclaim::metrics
