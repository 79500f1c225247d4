#include "bench/histogram.hpp"

#include <algorithm>
#include <cmath>

namespace idclaim::bench {

namespace {

constexpr std::uint64_t sub_count = std::uint64_t{1}
                                    << latency_histogram::sub_bits;

/// Number of significant bits of `v` (0 for 0).
unsigned bit_width(std::uint64_t v) noexcept {
  return v == 0 ? 0u : 64u - static_cast<unsigned>(__builtin_clzll(v));
}

template <class T>
void store_max(std::atomic<T>& slot, T v) noexcept {
  auto cur = slot.load(std::memory_order_relaxed);
  while (v > cur
         && !slot.compare_exchange_weak(cur, v, std::memory_order_relaxed)) {
  }
}

template <class T>
void store_min(std::atomic<T>& slot, T v) noexcept {
  auto cur = slot.load(std::memory_order_relaxed);
  while (v < cur
         && !slot.compare_exchange_weak(cur, v, std::memory_order_relaxed)) {
  }
}

} // namespace

// Layout: values below 2 * sub_count are their own bucket; above, a value v
// with e = bit_width(v) - (sub_bits + 1) shifted-out bits lands in bucket
// e * sub_count + (v >> e), which keeps the buckets contiguous.
std::size_t latency_histogram::index_of(std::uint64_t ns) noexcept {
  ns = std::min(ns, max_value_ns);
  auto width = bit_width(ns);
  unsigned e = width > sub_bits + 1 ? width - (sub_bits + 1) : 0;
  return static_cast<std::size_t>(e * sub_count + (ns >> e));
}

std::uint64_t latency_histogram::lowest_of(std::size_t index) noexcept {
  if (index < 2 * sub_count)
    return index;
  auto e = index / sub_count - 1;
  auto mantissa = index - e * sub_count;
  return static_cast<std::uint64_t>(mantissa) << e;
}

std::uint64_t latency_histogram::highest_of(std::size_t index) noexcept {
  if (index < 2 * sub_count)
    return index;
  auto e = index / sub_count - 1;
  auto mantissa = index - e * sub_count;
  return ((static_cast<std::uint64_t>(mantissa) + 1) << e) - 1;
}

std::size_t latency_histogram::bucket_count() noexcept {
  return index_of(max_value_ns) + 1;
}

latency_histogram::latency_histogram() : counts_(bucket_count()) {
  reset();
}

void latency_histogram::record(std::uint64_t ns) noexcept {
  counts_[index_of(ns)].fetch_add(1, std::memory_order_relaxed);
  total_.fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(ns, std::memory_order_relaxed);
  store_max(max_, ns);
  store_min(min_, ns);
}

void latency_histogram::add(const latency_histogram& other) noexcept {
  for (std::size_t i = 0; i < counts_.size(); ++i)
    if (auto n = other.counts_[i].load(std::memory_order_relaxed))
      counts_[i].fetch_add(n, std::memory_order_relaxed);
  total_.fetch_add(other.count(), std::memory_order_relaxed);
  sum_.fetch_add(other.sum_.load(std::memory_order_relaxed),
                 std::memory_order_relaxed);
  if (other.count() > 0) {
    store_max(max_, other.max_ns());
    store_min(min_, other.min_ns());
  }
}

void latency_histogram::reset() noexcept {
  for (auto& c : counts_)
    c.store(0, std::memory_order_relaxed);
  total_.store(0, std::memory_order_relaxed);
  sum_.store(0, std::memory_order_relaxed);
  max_.store(0, std::memory_order_relaxed);
  min_.store(~std::uint64_t{0}, std::memory_order_relaxed);
}

std::uint64_t latency_histogram::count() const noexcept {
  return total_.load(std::memory_order_relaxed);
}

std::uint64_t latency_histogram::max_ns() const noexcept {
  return max_.load(std::memory_order_relaxed);
}

std::uint64_t latency_histogram::min_ns() const noexcept {
  return count() == 0 ? 0 : min_.load(std::memory_order_relaxed);
}

double latency_histogram::mean_ns() const noexcept {
  auto n = count();
  return n == 0 ? 0.0
                : static_cast<double>(sum_.load(std::memory_order_relaxed))
                    / static_cast<double>(n);
}

std::uint64_t latency_histogram::quantile_ns(double q) const noexcept {
  // Read the buckets once; the total is their sum, so a histogram that is
  // being written to still gives a consistent answer.
  std::vector<std::uint64_t> snap(counts_.size());
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < counts_.size(); ++i)
    total += snap[i] = counts_[i].load(std::memory_order_relaxed);
  if (total == 0)
    return 0;
  if (q >= 1.0)
    return max_ns();
  q = std::max(q, 0.0);
  auto rank
    = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(total)));
  rank = std::max<std::uint64_t>(rank, 1);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < snap.size(); ++i) {
    seen += snap[i];
    if (seen >= rank)
      return std::min(highest_of(i), max_ns());
  }
  return max_ns();
}

const std::vector<double>& plotted_percentiles() {
  static const std::vector<double> points{0,  10,   25,   50,    75,    90, 95,
                                          99, 99.5, 99.9, 99.95, 99.99, 100};
  return points;
}

} // namespace idclaim::bench
