#include "domain/clock.hpp"

#include <algorithm>

namespace idclaim {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

namespace {

/// The furthest a time_point reaches from the epoch, in whole milliseconds;
/// a nanosecond clock holds only about ±292 years.
constexpr int64_t max_ms
  = duration_cast<milliseconds>(clock::time_point::duration::max()).count();

/// The largest test-clock offset worth keeping: it moves any real time to
/// either limit, and sums of two such values cannot overflow int64_t.
constexpr int64_t max_offset_ms = 2 * max_ms;

int64_t clamp_offset(int64_t ms) {
  return std::clamp(ms, -max_offset_ms, max_offset_ms);
}

} // namespace

int64_t to_ms(clock::time_point t) {
  return duration_cast<milliseconds>(t.time_since_epoch()).count();
}

clock::time_point from_ms(int64_t ms) {
  return clock::time_point{milliseconds{std::clamp(ms, -max_ms, max_ms)}};
}

int64_t clock::now_ms() const {
  return to_ms(now());
}

// Everything is done in int64_t milliseconds with clamped offsets: time_point
// arithmetic in nanoseconds would overflow (undefined behaviour) for the
// far-off instants a test may ask for.

clock::time_point adjustable_clock::now() const {
  return from_ms(to_ms(std::chrono::system_clock::now()) + offset_ms_.load());
}

void adjustable_clock::set(time_point t) {
  auto real = to_ms(std::chrono::system_clock::now());
  offset_ms_.store(clamp_offset(to_ms(t) - real));
}

void adjustable_clock::advance(std::chrono::seconds seconds) {
  // Clamped before scaling to milliseconds, so the product cannot overflow.
  auto step = std::clamp<int64_t>(seconds.count(), -max_offset_ms / 1000,
                                  max_offset_ms / 1000)
              * 1000;
  auto offset = offset_ms_.load();
  while (
    !offset_ms_.compare_exchange_weak(offset, clamp_offset(offset + step))) {
  }
}

} // namespace idclaim
