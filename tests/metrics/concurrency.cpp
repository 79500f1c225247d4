#define CAF_SUITE metrics.concurrency
#include <caf/test/unit_test.hpp>

#include <atomic>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "metrics/registry.hpp"
#include "tests/metrics/text_check.hpp"
#include "tests/support/concurrently.hpp"

using namespace idclaim::metrics;
using idclaim::testing::concurrently;
using idclaim::testing::first_bad_line;

namespace {

constexpr int workers = 8;
constexpr int rounds = 100'000;

} // namespace

CAF_TEST(eight threads updating at once give exact totals) {
  registry reg;
  auto& requests = reg.counter_family("requests_total", "h", {"group"});
  auto& latency = reg.histogram_family("latency_seconds", "h", {}, {0.25, 0.5});
  auto& spent = reg.double_counter_family("spent_seconds_total", "h");
  auto& level = reg.gauge_family("level", "h");
  auto& ratio = reg.double_gauge_family("ratio", "h");
  const char* groups[] = {"g0", "g1", "g2", "g3"};
  std::atomic<int> done{0};
  std::atomic<int> renders{0};
  std::atomic<bool> bad_text{false};
  concurrently(workers + 1, [&](int i) {
    if (i == workers) {
      // Scrape while the others write, until they are all finished.
      do {
        if (!first_bad_line(reg.render()).empty())
          bad_text = true;
        reg.to_json();
        ++renders;
      } while (done.load() < workers);
      return;
    }
    // Looked up on the hot path (not cached) so the first creation of each
    // group races between threads.
    auto& hist = latency.with({});
    auto& spent_total = spent.with({});
    for (int k = 0; k < rounds; ++k) {
      requests.with({groups[(i + k) % 4]}).inc();
      hist.observe(k % 2 == 0 ? 0.25 : 0.5);
      spent_total.inc(0.5);
      level.with({}).inc(2);
      level.with({}).dec();
      ratio.with({}).inc(0.25);
    }
    ++done;
  });
  CAF_CHECK(!bad_text.load());
  CAF_CHECK_GREATER_OR_EQUAL(renders.load(), 1);
  CAF_CHECK_EQUAL(requests.size(), 4u);
  for (auto g : groups)
    CAF_CHECK_EQUAL(requests.with({g}).value(), workers * rounds / 4u);
  auto snap = latency.with({}).snapshot();
  CAF_CHECK(
    snap.cumulative
    == std::vector<std::uint64_t>(
      {workers * rounds / 2u, workers * rounds * 1u, workers * rounds * 1u}));
  CAF_CHECK_EQUAL(snap.count, workers * rounds * 1u);
  // Multiples of 0.25 below 2^53 add exactly, whatever the order.
  CAF_CHECK(snap.sum == workers * rounds * 0.375);
  CAF_CHECK(spent.with({}).value() == workers * rounds * 0.5);
  CAF_CHECK_EQUAL(level.with({}).value(), workers * rounds);
  CAF_CHECK(ratio.with({}).value() == workers * rounds * 0.25);
}

CAF_TEST(concurrent creation past the cap keeps one overflow child) {
  registry reg{10};
  auto& fam = reg.counter_family("c_total", "h", {"n"});
  concurrently(workers, [&](int i) {
    for (int k = 0; k < rounds / 10; ++k)
      fam.with({std::to_string((i * 7 + k) % 100)}).inc();
  });
  CAF_CHECK_EQUAL(fam.size(), 11u);
  std::uint64_t total = 0;
  fam.each_child(
    [&](const std::vector<std::string>&, const child_value& value) {
      total += std::get<std::uint64_t>(value);
    });
  CAF_CHECK_EQUAL(total, workers * (rounds / 10u));
}
