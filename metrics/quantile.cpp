#include "metrics/quantile.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace idclaim::metrics {

double quantile(const histogram_snapshot& snap, double q) noexcept {
  constexpr auto inf = std::numeric_limits<double>::infinity();
  constexpr auto nan = std::numeric_limits<double>::quiet_NaN();
  if (std::isnan(q))
    return nan;
  if (q < 0)
    return -inf;
  if (q > 1)
    return inf;
  const auto& bounds = snap.bounds;
  const auto& cum = snap.cumulative;
  if (bounds.empty() || cum.size() != bounds.size() + 1 || cum.back() == 0)
    return nan;
  auto rank = q * static_cast<double>(cum.back());
  // The first finite bucket whose cumulative count reaches the rank; none
  // means the rank lies in the +Inf bucket.
  auto it = std::find_if(cum.begin(), cum.end() - 1, [rank](auto c) {
    return static_cast<double>(c) >= rank;
  });
  auto b = static_cast<std::size_t>(it - cum.begin());
  if (b == bounds.size())
    return bounds.back();
  if (b == 0 && bounds[0] <= 0)
    return bounds[0];
  double start = 0;
  auto count = static_cast<double>(cum[b]);
  if (b > 0) {
    start = bounds[b - 1];
    count -= static_cast<double>(cum[b - 1]);
    rank -= static_cast<double>(cum[b - 1]);
  }
  // Only q == 0 over an empty first bucket gets here with nothing to
  // interpolate; its lower edge is the honest answer (Prometheus says NaN).
  if (count == 0)
    return start;
  return start + (bounds[b] - start) * (rank / count);
}

} // namespace idclaim::metrics
