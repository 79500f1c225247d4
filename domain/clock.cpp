#include "domain/clock.hpp"

namespace idclaim {

using std::chrono::duration_cast;
using std::chrono::milliseconds;

int64_t to_ms(clock::time_point t) {
  return duration_cast<milliseconds>(t.time_since_epoch()).count();
}

clock::time_point from_ms(int64_t ms) {
  return clock::time_point{milliseconds{ms}};
}

int64_t clock::now_ms() const {
  return to_ms(now());
}

clock::time_point adjustable_clock::now() const {
  return std::chrono::system_clock::now() + milliseconds{offset_ms_.load()};
}

void adjustable_clock::set(time_point t) {
  auto real = std::chrono::system_clock::now();
  offset_ms_.store(duration_cast<milliseconds>(t - real).count());
}

void adjustable_clock::advance(std::chrono::seconds seconds) {
  offset_ms_.fetch_add(duration_cast<milliseconds>(seconds).count());
}

} // namespace idclaim
