#pragma once

#include <atomic>
#include <cstdint>

#include "metrics/atomic_double.hpp"
#include "metrics/metric_type.hpp"

namespace idclaim::metrics {

/// A whole-number level that goes up and down (open WebSockets, live
/// actors). Every update is one relaxed atomic operation.
class gauge {
public:
  /// What a family passes to each new child: nothing for a gauge.
  struct config {};

  /// What `# TYPE` says for a family of these.
  static constexpr metric_type type = metric_type::gauge;

  /// Starts at zero.
  gauge() = default;

  /// Starts at zero; the form a family uses.
  explicit gauge(const config&) {}

  gauge(const gauge&) = delete;
  gauge& operator=(const gauge&) = delete;

  /// Replaces the level with `value`.
  void set(std::int64_t value) noexcept {
    value_.store(value, std::memory_order_relaxed);
  }

  /// Raises the level by `n` (one by default).
  void inc(std::int64_t n = 1) noexcept {
    value_.fetch_add(n, std::memory_order_relaxed);
  }

  /// Lowers the level by `n` (one by default).
  void dec(std::int64_t n = 1) noexcept {
    value_.fetch_sub(n, std::memory_order_relaxed);
  }

  /// The current level.
  std::int64_t value() const noexcept {
    return value_.load(std::memory_order_relaxed);
  }

private:
  std::atomic<std::int64_t> value_{0};
};

/// A fractional level that goes up and down (a ratio, a temperature).
class double_gauge {
public:
  /// What a family passes to each new child: nothing for a gauge.
  struct config {};

  /// What `# TYPE` says for a family of these.
  static constexpr metric_type type = metric_type::gauge;

  /// Starts at zero.
  double_gauge() = default;

  /// Starts at zero; the form a family uses.
  explicit double_gauge(const config&) {}

  double_gauge(const double_gauge&) = delete;
  double_gauge& operator=(const double_gauge&) = delete;

  /// Replaces the level with `value`.
  void set(double value) noexcept {
    value_.store(value, std::memory_order_relaxed);
  }

  /// Raises the level by `delta` (one by default).
  void inc(double delta = 1.0) noexcept { atomic_add(value_, delta); }

  /// Lowers the level by `delta` (one by default).
  void dec(double delta = 1.0) noexcept { atomic_add(value_, -delta); }

  /// The current level.
  double value() const noexcept {
    return value_.load(std::memory_order_relaxed);
  }

private:
  std::atomic<double> value_{0.0};
};

} // namespace idclaim::metrics
