#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <vector>

namespace idclaim::bench {

/// A latency histogram in the manner of HdrHistogram: log-linear buckets of
/// nanoseconds with 128 sub-buckets per power of two, so every recorded
/// value is known to within 1/128 (0.8 %) from 1 ns to about 18 minutes.
/// record() is lock-free (relaxed atomic adds), so the load threads record
/// while the progress thread reads.
class latency_histogram {
public:
  /// Sub-buckets per power of two, as a power of two.
  static constexpr unsigned sub_bits = 7;
  /// Values above this (about 1100 s) are counted in the top bucket.
  static constexpr std::uint64_t max_value_ns = (std::uint64_t{1} << 40) - 1;

  latency_histogram();
  latency_histogram(const latency_histogram&) = delete;
  latency_histogram& operator=(const latency_histogram&) = delete;

  /// Counts one latency of `ns` nanoseconds.
  void record(std::uint64_t ns) noexcept;

  /// Counts one latency.
  template <class Rep, class Period>
  void record(std::chrono::duration<Rep, Period> d) noexcept {
    auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(d).count();
    record(static_cast<std::uint64_t>(ns < 0 ? 0 : ns));
  }

  /// Adds every count of `other` to this one.
  void add(const latency_histogram& other) noexcept;

  /// Forgets every value.
  void reset() noexcept;

  /// Values recorded.
  std::uint64_t count() const noexcept;

  /// The largest value recorded, exactly (0 when empty).
  std::uint64_t max_ns() const noexcept;

  /// The smallest value recorded, exactly (0 when empty).
  std::uint64_t min_ns() const noexcept;

  /// The mean, from the exact sum (0 when empty).
  double mean_ns() const noexcept;

  /// The value at quantile `q` (0..1): the highest value equivalent to the
  /// bucket holding rank ceil(q * count), so never below the true quantile
  /// by more than the bucket width; q = 1 gives the exact max. 0 when empty.
  std::uint64_t quantile_ns(double q) const noexcept;

  /// The bucket index of `ns` (exposed for tests).
  static std::size_t index_of(std::uint64_t ns) noexcept;

  /// The lowest and highest values that fall into bucket `index`.
  static std::uint64_t lowest_of(std::size_t index) noexcept;
  static std::uint64_t highest_of(std::size_t index) noexcept;

  /// How many buckets there are.
  static std::size_t bucket_count() noexcept;

private:
  std::vector<std::atomic<std::uint64_t>> counts_;
  std::atomic<std::uint64_t> total_{0};
  std::atomic<std::uint64_t> sum_{0};
  std::atomic<std::uint64_t> max_{0};
  std::atomic<std::uint64_t> min_{~std::uint64_t{0}};
};

/// The quantiles a report shows and the SVG plot draws, in percent.
const std::vector<double>& plotted_percentiles();

} // namespace idclaim::bench
