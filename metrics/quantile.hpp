#pragma once

#include "metrics/histogram.hpp"

namespace idclaim::metrics {

/// Estimates the `q`-quantile (0 <= q <= 1, e.g. 0.99 for p99) of the
/// observations in `snap` the way Prometheus' histogram_quantile() does, so
/// the operator page and a PromQL query over the same data agree: find the
/// bucket holding rank q * count and interpolate linearly inside it, taking
/// 0 as the lower edge of the first bucket (or its bound when that is <= 0).
/// A rank in the +Inf bucket yields the highest finite bound. Returns NaN
/// for an empty histogram or one with no finite bound, -Inf for q < 0 and
/// +Inf for q > 1.
double quantile(const histogram_snapshot& snap, double q) noexcept;

} // namespace idclaim::metrics
