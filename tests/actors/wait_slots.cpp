#define CAF_SUITE actors.wait_slots
#include <caf/test/unit_test.hpp>

#include <chrono>
#include <memory>
#include <vector>

#include "actors/wait_slots.hpp"

using idclaim::actors::wait_slots;
using namespace std::chrono_literals;

namespace {

/// A clock the test moves by hand.
struct fixture {
  std::shared_ptr<wait_slots::time_point> now
    = std::make_shared<wait_slots::time_point>(std::chrono::hours{5});

  wait_slots::clock_fn clock() const {
    return [now = now] { return *now; };
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(wait_slots_tests, fixture)

CAF_TEST(the oldest wait is that of the oldest work still in) {
  wait_slots slots{4, clock()};
  CAF_CHECK(slots.oldest_wait() == 0s);
  auto a = slots.take();
  *now += 2s;
  auto b = slots.take();
  *now += 3s;
  auto c = slots.take();
  CAF_CHECK(slots.oldest_wait() == 5s);
  // Work finishes out of order: the middle one first changes nothing ...
  slots.give_back(b);
  CAF_CHECK(slots.oldest_wait() == 5s);
  // ... the oldest leaving makes the next oldest count.
  slots.give_back(a);
  CAF_CHECK(slots.oldest_wait() == 0s);
  *now += 1s;
  CAF_CHECK(slots.oldest_wait() == 1s);
  slots.give_back(c);
  CAF_CHECK(slots.oldest_wait() == 0s);
}

CAF_TEST(every place has a slot and a freed slot is used again) {
  wait_slots slots{3, clock()};
  std::vector<std::size_t> taken;
  for (int i = 0; i < 3; ++i)
    taken.push_back(slots.take());
  for (auto s : taken)
    CAF_CHECK_NOT_EQUAL(s, wait_slots::none);
  CAF_CHECK_NOT_EQUAL(taken[0], taken[1]);
  CAF_CHECK_NOT_EQUAL(taken[1], taken[2]);
  CAF_CHECK_EQUAL(slots.take(), wait_slots::none);
  slots.give_back(taken[1]);
  CAF_CHECK_EQUAL(slots.take(), taken[1]);
  slots.give_back(wait_slots::none); // ignored
}

CAF_TEST(no places means nothing is timed) {
  wait_slots slots{0, clock()};
  CAF_CHECK_EQUAL(slots.take(), wait_slots::none);
  CAF_CHECK(slots.oldest_wait() == 0s);
}

CAF_TEST_FIXTURE_SCOPE_END()
