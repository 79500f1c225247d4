#include "http/login_throttle.hpp"

#include <algorithm>

namespace idclaim::http {

login_verdict judge_login(const config::settings& s, int64_t name_failures,
                          int64_t ip_failures) {
  auto at_least = [](int64_t n, std::size_t limit) {
    return limit > 0 && n >= static_cast<int64_t>(limit);
  };
  login_verdict v;
  if (at_least(name_failures, s.login_lock_after)
      || at_least(ip_failures, s.login_ip_lock_after)) {
    v.refuse = true;
    v.retry_after_s
      = std::max<int64_t>(1, static_cast<int64_t>(s.login_window_seconds));
    return v;
  }
  if (at_least(std::max(name_failures, ip_failures), s.login_slow_after))
    v.delay = std::chrono::milliseconds{s.login_slow_ms};
  return v;
}

} // namespace idclaim::http
