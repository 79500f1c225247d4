#define CAF_SUITE bench.histogram
#include <caf/test/unit_test.hpp>

#include <cstdint>
#include <vector>

#include "bench/histogram.hpp"

using idclaim::bench::latency_histogram;

CAF_TEST(every value lies inside its bucket and buckets are narrow) {
  std::vector<std::uint64_t> values{0,
                                    1,
                                    127,
                                    255,
                                    256,
                                    257,
                                    511,
                                    512,
                                    1000,
                                    123456,
                                    999999999,
                                    1ull << 39,
                                    (1ull << 40) - 1};
  for (std::uint64_t v = 1; v < (1ull << 40); v = v * 3 + 1)
    values.push_back(v);
  for (auto v : values) {
    auto i = latency_histogram::index_of(v);
    CAF_CHECK_LESS(i, latency_histogram::bucket_count());
    CAF_CHECK_LESS_OR_EQUAL(latency_histogram::lowest_of(i), v);
    CAF_CHECK_GREATER_OR_EQUAL(latency_histogram::highest_of(i), v);
    // Relative width at most 1/128 above the exact range.
    auto width
      = latency_histogram::highest_of(i) - latency_histogram::lowest_of(i) + 1;
    CAF_CHECK(v < 256 ? width == 1 : width * 128 <= v);
  }
}

CAF_TEST(neighbouring buckets leave no gap) {
  for (std::size_t i = 1; i + 1 < latency_histogram::bucket_count(); ++i)
    CAF_CHECK_EQUAL(latency_histogram::highest_of(i - 1) + 1,
                    latency_histogram::lowest_of(i));
}

CAF_TEST(quantiles of a uniform distribution are within one percent) {
  latency_histogram h;
  for (std::uint64_t us = 1; us <= 1000; ++us)
    h.record(us * 1000);
  CAF_CHECK_EQUAL(h.count(), 1000u);
  CAF_CHECK_EQUAL(h.min_ns(), 1000u);
  CAF_CHECK_EQUAL(h.max_ns(), 1000000u);
  CAF_CHECK_EQUAL(h.quantile_ns(1.0), 1000000u);
  struct row {
    double q;
    double expected_ns;
  };
  for (auto r : {row{0.5, 500e3}, row{0.9, 900e3}, row{0.99, 990e3},
                 row{0.999, 999e3}}) {
    auto got = static_cast<double>(h.quantile_ns(r.q));
    CAF_CHECK_GREATER_OR_EQUAL(got, r.expected_ns);
    CAF_CHECK_LESS_OR_EQUAL(got, r.expected_ns * 1.01);
  }
  CAF_CHECK_EQUAL(h.mean_ns(), 500500.0);
}

CAF_TEST(an empty histogram answers zero) {
  latency_histogram h;
  CAF_CHECK_EQUAL(h.count(), 0u);
  CAF_CHECK_EQUAL(h.quantile_ns(0.99), 0u);
  CAF_CHECK_EQUAL(h.max_ns(), 0u);
  CAF_CHECK_EQUAL(h.min_ns(), 0u);
  CAF_CHECK_EQUAL(h.mean_ns(), 0.0);
}

CAF_TEST(add merges and reset forgets) {
  latency_histogram a;
  latency_histogram b;
  a.record(std::chrono::milliseconds{1});
  b.record(std::chrono::milliseconds{100});
  b.record(std::chrono::milliseconds{100});
  a.add(b);
  CAF_CHECK_EQUAL(a.count(), 3u);
  CAF_CHECK_EQUAL(a.max_ns(), 100000000u);
  CAF_CHECK_EQUAL(a.min_ns(), 1000000u);
  CAF_CHECK_GREATER_OR_EQUAL(a.quantile_ns(0.5), 99000000u);
  a.reset();
  CAF_CHECK_EQUAL(a.count(), 0u);
  CAF_CHECK_EQUAL(a.quantile_ns(0.5), 0u);
}

CAF_TEST(huge and negative durations are clamped) {
  latency_histogram h;
  h.record(std::chrono::hours{10});
  h.record(std::chrono::nanoseconds{-5});
  CAF_CHECK_EQUAL(h.count(), 2u);
  CAF_CHECK_EQUAL(h.min_ns(), 0u);
  CAF_CHECK_GREATER(h.quantile_ns(0.9), 1000000000000u);
}
