#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "metrics/metric_type.hpp"

namespace idclaim::metrics {

/// Upper bounds in seconds suited to an HTTP service: 0.5 ms to 10 s.
std::vector<double> default_latency_buckets();

/// Returns `bounds` ready for a histogram: a trailing +Inf is dropped (the
/// +Inf bucket is always implied).
/// @throws std::invalid_argument when a bound is NaN or -Inf, +Inf appears
///         anywhere but last, or the bounds are not strictly increasing.
std::vector<double> checked_bounds(std::vector<double> bounds);

/// A histogram's state at one moment, as the text format shows it.
struct histogram_snapshot {
  /// The finite upper bounds, strictly increasing.
  std::vector<double> bounds;
  /// Cumulative counts: `cumulative[i]` observations were <= `bounds[i]`;
  /// the extra last entry is the +Inf bucket and equals `count`.
  std::vector<std::uint64_t> cumulative;
  /// The sum of all observations.
  double sum = 0;
  /// The number of observations.
  std::uint64_t count = 0;
};

/// Writes `snap` as {"bounds", "cumulative", "sum", "count", "p50", "p90",
/// "p99"} for the operator page; a quantile of an empty histogram is NaN,
/// which nlohmann::json dumps as null.
void to_json(nlohmann::json& out, const histogram_snapshot& snap);

/// Counts observations (latencies in seconds) into buckets with fixed upper
/// bounds. observe() is lock-free: one relaxed add to the bucket and a
/// compare-and-swap on the sum.
class histogram {
public:
  /// What a family passes to each new child: the bucket upper bounds.
  using config = std::vector<double>;

  /// What `# TYPE` says for a family of these.
  static constexpr metric_type type = metric_type::histogram;

  /// Makes an empty histogram with the upper bounds `bounds`.
  /// @throws std::invalid_argument as checked_bounds does.
  explicit histogram(std::vector<double> bounds = default_latency_buckets());

  histogram(const histogram&) = delete;
  histogram& operator=(const histogram&) = delete;

  /// Records one observation. A NaN is ignored, since it would turn the sum
  /// into NaN for the rest of the process's life.
  void observe(double seconds) noexcept;

  /// Records one duration, in seconds.
  template <class Rep, class Period>
  void observe(std::chrono::duration<Rep, Period> elapsed) noexcept {
    observe(std::chrono::duration<double>(elapsed).count());
  }

  /// The current state. Each bucket is read atomically but not all at once,
  /// so a snapshot taken during updates may show the sum and the counts a
  /// few observations apart; `count` always equals the +Inf bucket.
  histogram_snapshot snapshot() const;

  /// The finite upper bounds.
  const std::vector<double>& bounds() const noexcept { return bounds_; }

private:
  std::vector<double> bounds_;
  /// Per-bucket (not cumulative) counts; the last one is the +Inf bucket.
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;
  std::atomic<double> sum_{0.0};
};

} // namespace idclaim::metrics
