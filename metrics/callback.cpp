#include "metrics/callback.hpp"

#include <limits>
#include <utility>

namespace idclaim::metrics {

void basic_callback::set(std::function<double()> read) {
  std::lock_guard<std::mutex> guard{mutex_};
  read_ = std::move(read);
}

double basic_callback::value() const noexcept {
  constexpr auto nan = std::numeric_limits<double>::quiet_NaN();
  std::function<double()> read;
  {
    // Copy under the lock and call outside it, so a slow source never
    // holds up set().
    std::lock_guard<std::mutex> guard{mutex_};
    try {
      read = read_;
    } catch (...) {
      return nan;
    }
  }
  if (!read)
    return nan;
  try {
    return read();
  } catch (...) {
    return nan;
  }
}

} // namespace idclaim::metrics
