#define CAF_SUITE metrics.histogram
#include <caf/test/unit_test.hpp>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <vector>

#include "metrics/histogram.hpp"
#include "metrics/quantile.hpp"

using namespace idclaim::metrics;
using counts = std::vector<std::uint64_t>;

namespace {

constexpr auto inf = std::numeric_limits<double>::infinity();

bool near(double a, double b) {
  return std::fabs(a - b) < 1e-12;
}

/// 10 observations up to 0.1, 20 up to 0.2, 60 up to 0.4, 10 up to 0.8 and
/// `overflow` past the last bound.
histogram_snapshot sample(int overflow = 0) {
  histogram h{{0.1, 0.2, 0.4, 0.8}};
  auto add = [&](int n, double x) {
    for (int i = 0; i < n; ++i)
      h.observe(x);
  };
  add(10, 0.05);
  add(20, 0.15);
  add(60, 0.3);
  add(10, 0.6);
  add(overflow, 5);
  return h.snapshot();
}

} // namespace

CAF_TEST(the default buckets span half a millisecond to ten seconds) {
  CAF_CHECK(default_latency_buckets()
            == std::vector<double>({0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                    0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}));
  CAF_CHECK(histogram{}.bounds() == default_latency_buckets());
}

CAF_TEST(buckets are cumulative and bounds inclusive) {
  histogram h{{1, 2, 4}};
  for (double x : {0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 9.0, -1.0})
    h.observe(x);
  auto snap = h.snapshot();
  CAF_CHECK(snap.bounds == std::vector<double>({1, 2, 4}));
  // le=1: 0.5 1 -1; le=2: +1.5 2; le=4: +3 4; +Inf: +9.
  CAF_CHECK(snap.cumulative == counts({3, 5, 7, 8}));
  CAF_CHECK_EQUAL(snap.count, 8u);
  CAF_CHECK(snap.sum == 20.0);
}

CAF_TEST(an empty histogram has zero counts) {
  auto snap = histogram{{1}}.snapshot();
  CAF_CHECK(snap.cumulative == counts({0, 0}));
  CAF_CHECK_EQUAL(snap.count, 0u);
  CAF_CHECK(snap.sum == 0.0);
}

CAF_TEST(infinite observations count and NaN ones are ignored) {
  histogram h{{1}};
  h.observe(std::numeric_limits<double>::quiet_NaN());
  CAF_CHECK_EQUAL(h.snapshot().count, 0u);
  h.observe(inf);
  h.observe(0.5);
  auto snap = h.snapshot();
  CAF_CHECK(snap.cumulative == counts({1, 2}));
  CAF_CHECK(snap.sum == inf);
}

CAF_TEST(durations are observed in seconds) {
  histogram h{{0.001, 1}};
  h.observe(std::chrono::microseconds{500});
  h.observe(std::chrono::milliseconds{250});
  auto snap = h.snapshot();
  CAF_CHECK(snap.cumulative == counts({1, 2, 2}));
  CAF_CHECK(near(snap.sum, 0.2505));
}

CAF_TEST(checked_bounds drops a trailing infinity and refuses disorder) {
  CAF_CHECK(checked_bounds({1, 2, inf}) == std::vector<double>({1, 2}));
  CAF_CHECK(checked_bounds({}).empty());
  CAF_CHECK(checked_bounds({inf}).empty());
  auto refused = [](std::vector<double> b) {
    try {
      checked_bounds(std::move(b));
    } catch (const std::invalid_argument&) {
      return true;
    }
    return false;
  };
  CAF_CHECK(refused({2, 1}));
  CAF_CHECK(refused({1, 1}));
  CAF_CHECK(refused({-inf, 0}));
  CAF_CHECK(refused({std::numeric_limits<double>::quiet_NaN()}));
  CAF_CHECK(refused({inf, inf}));
  CAF_CHECK(!refused({-1, 0, 1}));
}

CAF_TEST(quantiles interpolate linearly within the bucket) {
  auto snap = sample();
  CAF_REQUIRE(snap.cumulative == counts({10, 30, 90, 100, 100}));
  // rank 5 in (0, 0.1] holding 10: 0 + 0.1 * 5/10.
  CAF_CHECK(near(quantile(snap, 0.05), 0.05));
  // rank 10 is the top of the first bucket.
  CAF_CHECK(near(quantile(snap, 0.1), 0.1));
  // rank 50 in (0.2, 0.4] holding 60, 20 into it: 0.2 + 0.2 * 20/60.
  CAF_CHECK(near(quantile(snap, 0.5), 0.2 + 0.2 / 3));
  // rank 90 is the top of the third bucket.
  CAF_CHECK(near(quantile(snap, 0.9), 0.4));
  // rank 99 in (0.4, 0.8] holding 10, 9 into it: 0.4 + 0.4 * 9/10.
  CAF_CHECK(near(quantile(snap, 0.99), 0.76));
  CAF_CHECK(near(quantile(snap, 1), 0.8));
  CAF_CHECK(near(quantile(snap, 0), 0));
}

CAF_TEST(a quantile in the infinite bucket is the highest finite bound) {
  auto snap = sample(5);
  CAF_REQUIRE(snap.cumulative == counts({10, 30, 90, 100, 105}));
  // rank 103.95 is past 100, so it lies in the +Inf bucket.
  CAF_CHECK(quantile(snap, 0.99) == 0.8);
  // rank 52.5 in (0.2, 0.4], 22.5 into it: 0.2 + 0.2 * 22.5/60.
  CAF_CHECK(near(quantile(snap, 0.5), 0.275));
}

CAF_TEST(quantile edge cases follow histogram_quantile) {
  auto snap = sample();
  CAF_CHECK(quantile(snap, -0.1) == -inf);
  CAF_CHECK(quantile(snap, 1.1) == inf);
  CAF_CHECK(std::isnan(quantile(snap, std::nan(""))));
  CAF_CHECK(std::isnan(quantile(histogram{{1}}.snapshot(), 0.5)));
  histogram only_inf{{}};
  only_inf.observe(1);
  CAF_CHECK(std::isnan(quantile(only_inf.snapshot(), 0.5)));
  // A first bound at or below zero is returned as is, not interpolated.
  histogram negative{{0, 1}};
  negative.observe(-3);
  negative.observe(0.5);
  CAF_CHECK(quantile(negative.snapshot(), 0.25) == 0.0);
  CAF_CHECK(near(quantile(negative.snapshot(), 0.75), 0.5));
}
