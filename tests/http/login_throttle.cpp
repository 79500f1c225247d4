#define CAF_SUITE http.login_throttle
#include <caf/test/unit_test.hpp>

#include "http/login_throttle.hpp"

using namespace idclaim;

namespace {

config::settings limits() {
  config::settings s;
  s.login_window_seconds = 900;
  s.login_slow_after = 3;
  s.login_slow_ms = 1000;
  s.login_lock_after = 10;
  s.login_ip_lock_after = 50;
  return s;
}

struct row {
  int64_t name_failures;
  int64_t ip_failures;
  bool refuse;
  int64_t delay_ms;
};

} // namespace

CAF_TEST(failures first slow answers then refuse them) {
  const row rows[] = {
    {0, 0, false, 0},     {2, 2, false, 0},    {3, 3, false, 1000},
    {0, 3, false, 1000},  {9, 9, false, 1000}, {10, 10, true, 0},
    {0, 49, false, 1000}, {0, 50, true, 0},    {1, 60, true, 0},
  };
  auto s = limits();
  for (auto& r : rows) {
    auto v = http::judge_login(s, r.name_failures, r.ip_failures);
    CAF_MESSAGE("name " << r.name_failures << ", ip " << r.ip_failures);
    CAF_CHECK_EQUAL(v.refuse, r.refuse);
    CAF_CHECK_EQUAL(v.delay.count(), r.delay_ms);
    CAF_CHECK_EQUAL(v.retry_after_s, r.refuse ? 900 : 0);
  }
}

CAF_TEST(a zero limit turns its rule off) {
  auto s = limits();
  s.login_slow_after = 0;
  s.login_lock_after = 0;
  s.login_ip_lock_after = 0;
  auto v = http::judge_login(s, 1000, 1000);
  CAF_CHECK(!v.refuse);
  CAF_CHECK_EQUAL(v.delay.count(), 0);
}
