#pragma once

#include <atomic>
#include <cmath>
#include <cstdint>

#include "metrics/atomic_double.hpp"
#include "metrics/metric_type.hpp"

namespace idclaim::metrics {

/// A monotonic count of events (requests, restarts). Updates are one relaxed
/// atomic add, so it can sit on every hot path.
class counter {
public:
  /// What a family passes to each new child: nothing for a counter.
  struct config {};

  /// What `# TYPE` says for a family of these.
  static constexpr metric_type type = metric_type::counter;

  /// Starts at zero.
  counter() = default;

  /// Starts at zero; the form a family uses.
  explicit counter(const config&) {}

  counter(const counter&) = delete;
  counter& operator=(const counter&) = delete;

  /// Adds `n` (one by default).
  void inc(std::uint64_t n = 1) noexcept {
    value_.fetch_add(n, std::memory_order_relaxed);
  }

  /// The current count.
  std::uint64_t value() const noexcept {
    return value_.load(std::memory_order_relaxed);
  }

private:
  std::atomic<std::uint64_t> value_{0};
};

/// A monotonic total of a fractional quantity (seconds spent, bytes/s).
class double_counter {
public:
  /// What a family passes to each new child: nothing for a counter.
  struct config {};

  /// What `# TYPE` says for a family of these.
  static constexpr metric_type type = metric_type::counter;

  /// Starts at zero.
  double_counter() = default;

  /// Starts at zero; the form a family uses.
  explicit double_counter(const config&) {}

  double_counter(const double_counter&) = delete;
  double_counter& operator=(const double_counter&) = delete;

  /// Adds `delta` (one by default). A negative, infinite or NaN `delta` is
  /// ignored: a counter that went down or became NaN would read as a reset
  /// or poison every rate() over it.
  void inc(double delta = 1.0) noexcept {
    if (delta > 0 && std::isfinite(delta))
      atomic_add(value_, delta);
  }

  /// The current total.
  double value() const noexcept {
    return value_.load(std::memory_order_relaxed);
  }

private:
  std::atomic<double> value_{0.0};
};

} // namespace idclaim::metrics
