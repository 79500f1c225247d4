#include "metrics/histogram.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "metrics/atomic_double.hpp"
#include "metrics/quantile.hpp"

namespace idclaim::metrics {

std::vector<double> default_latency_buckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
          0.1,    0.25,  0.5,    1,     2.5,  5,     10};
}

std::vector<double> checked_bounds(std::vector<double> bounds) {
  constexpr auto inf = std::numeric_limits<double>::infinity();
  if (!bounds.empty() && bounds.back() == inf)
    bounds.pop_back();
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    if (!std::isfinite(bounds[i]))
      throw std::invalid_argument("histogram bound is not finite");
    if (i > 0 && !(bounds[i - 1] < bounds[i]))
      throw std::invalid_argument("histogram bounds are not increasing");
  }
  return bounds;
}

void to_json(nlohmann::json& out, const histogram_snapshot& snap) {
  out = nlohmann::json{{"bounds", snap.bounds},
                       {"cumulative", snap.cumulative},
                       {"sum", snap.sum},
                       {"count", snap.count},
                       {"p50", quantile(snap, 0.5)},
                       {"p90", quantile(snap, 0.9)},
                       {"p99", quantile(snap, 0.99)}};
}

histogram::histogram(std::vector<double> bounds)
  : bounds_(checked_bounds(std::move(bounds))),
    counts_(new std::atomic<std::uint64_t>[bounds_.size() + 1]) {
  for (std::size_t i = 0; i <= bounds_.size(); ++i)
    counts_[i].store(0, std::memory_order_relaxed);
}

void histogram::observe(double seconds) noexcept {
  if (std::isnan(seconds))
    return;
  // Bounds are inclusive ("le"), so the bucket is the first bound >= value;
  // past the last bound lies the +Inf bucket at index bounds_.size().
  auto i = std::lower_bound(bounds_.begin(), bounds_.end(), seconds)
           - bounds_.begin();
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  atomic_add(sum_, seconds);
}

histogram_snapshot histogram::snapshot() const {
  histogram_snapshot snap;
  snap.bounds = bounds_;
  snap.cumulative.reserve(bounds_.size() + 1);
  std::uint64_t running = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    running += counts_[i].load(std::memory_order_relaxed);
    snap.cumulative.push_back(running);
  }
  snap.count = running;
  snap.sum = sum_.load(std::memory_order_relaxed);
  return snap;
}

} // namespace idclaim::metrics
