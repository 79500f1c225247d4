#define CAF_SUITE domain.clock
#include <caf/test/unit_test.hpp>

#include <chrono>
#include <cstdint>
#include <limits>

#include "domain/clock.hpp"
#include "domain/shanghai_time.hpp"

using namespace idclaim;
using std::chrono::seconds;

namespace {

constexpr auto max_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          clock::time_point::duration::max())
                          .count();

} // namespace

CAF_TEST(from_ms keeps stored times and saturates beyond the range) {
  CAF_CHECK_EQUAL(to_ms(from_ms(1780286400000)), 1780286400000);
  CAF_CHECK_EQUAL(to_ms(from_ms(-86400000)), -86400000);
  CAF_CHECK_EQUAL(to_ms(from_ms(std::numeric_limits<int64_t>::max())), max_ms);
  CAF_CHECK_EQUAL(to_ms(from_ms(std::numeric_limits<int64_t>::min())), -max_ms);
}

CAF_TEST(the test clock moves by small steps exactly) {
  adjustable_clock clock;
  auto before = to_ms(std::chrono::system_clock::now());
  clock.advance(seconds{86400});
  auto moved = to_ms(clock.now()) - before;
  // Real time flows on while the test runs; allow a minute of it.
  CAF_CHECK_GREATER_OR_EQUAL(moved, 86400000);
  CAF_CHECK_LESS(moved, 86400000 + 60000);
  clock.advance(seconds{-2 * 86400});
  CAF_CHECK_LESS(to_ms(clock.now()), before - 86400000 + 60000);
}

// Found by fuzz/fuzz_json_bodies: POST /api/v1/test/clock passes any int64
// advance_seconds, and seconds -> milliseconds -> nanoseconds overflowed.
CAF_TEST(advancing the test clock by huge amounts saturates) {
  adjustable_clock clock;
  clock.advance(seconds{std::numeric_limits<int64_t>::max()});
  CAF_CHECK_EQUAL(to_ms(clock.now()), max_ms);
  clock.advance(seconds{std::numeric_limits<int64_t>::max()});
  CAF_CHECK_EQUAL(to_ms(clock.now()), max_ms);
  // The offset saturates at twice the range, so one step back as huge
  // lands on real time again and a second one at the lower limit.
  clock.advance(seconds{std::numeric_limits<int64_t>::min()});
  auto real = to_ms(std::chrono::system_clock::now());
  CAF_CHECK_LESS(to_ms(clock.now()) - real, 60000);
  CAF_CHECK_GREATER(to_ms(clock.now()) - real, -60000);
  clock.advance(seconds{std::numeric_limits<int64_t>::min()});
  CAF_CHECK_EQUAL(to_ms(clock.now()), -max_ms);
  clock.advance(seconds{std::numeric_limits<int64_t>::min()});
  CAF_CHECK_EQUAL(to_ms(clock.now()), -max_ms);
}

// Found by fuzz/fuzz_json_bodies: {"set": "1678-01-01T00:00:00Z"} is a time
// parse_rfc3339 accepts, but `t - now` in nanoseconds overflowed.
CAF_TEST(setting the test clock near the time_point limits works) {
  adjustable_clock clock;
  auto early = domain::parse_rfc3339("1678-01-01T00:00:00Z");
  CAF_REQUIRE(early.has_value());
  clock.set(*early);
  auto now = to_ms(clock.now());
  CAF_CHECK_GREATER_OR_EQUAL(now, to_ms(*early));
  CAF_CHECK_LESS(now, to_ms(*early) + 60000);
  auto late = domain::parse_rfc3339("2262-01-01T00:00:00Z");
  CAF_REQUIRE(late.has_value());
  clock.set(*late);
  // Time flows on after a set, and may reach the limit; it must not wrap.
  CAF_CHECK_GREATER_OR_EQUAL(to_ms(clock.now()), to_ms(*late));
}
