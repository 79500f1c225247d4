#define CAF_SUITE actors.queue_gate
#include <caf/test/unit_test.hpp>

#include <chrono>
#include <memory>
#include <vector>

#include "actors/queue_gate.hpp"

using idclaim::actors::queue_gate;
using idclaim::actors::try_admit;

CAF_TEST(a gate admits up to its limit and refuses beyond) {
  auto gate = queue_gate::make(2);
  auto first = gate->try_enter();
  auto second = gate->try_enter();
  CAF_CHECK(first != nullptr);
  CAF_CHECK(second != nullptr);
  CAF_CHECK_EQUAL(gate->depth(), 2u);
  CAF_CHECK(gate->try_enter() == nullptr);
  CAF_CHECK(gate->try_enter() == nullptr);
  CAF_CHECK_EQUAL(gate->rejected(), 2u);
  CAF_CHECK_EQUAL(gate->depth(), 2u);
}

CAF_TEST(a destroyed pass gives its place back once all copies are gone) {
  auto gate = queue_gate::make(1);
  auto pass = gate->try_enter();
  auto copy = pass;
  pass.reset();
  CAF_CHECK(gate->try_enter() == nullptr);
  copy.reset();
  CAF_CHECK_EQUAL(gate->depth(), 0u);
  CAF_CHECK(gate->try_enter() != nullptr);
}

CAF_TEST(a gate of limit zero refuses everything) {
  auto gate = queue_gate::make(0);
  CAF_CHECK(gate->try_enter() == nullptr);
  CAF_CHECK_EQUAL(gate->depth(), 0u);
  CAF_CHECK_EQUAL(gate->rejected(), 1u);
}

CAF_TEST(a pass may outlive the code that owned the gate) {
  queue_gate::pass pass;
  {
    auto gate = queue_gate::make(1);
    pass = gate->try_enter();
  }
  CAF_CHECK(pass != nullptr);
  pass.reset(); // must not touch freed memory (checked under ASan)
}

CAF_TEST(try_admit admits everything without a gate) {
  queue_gate::pass pass;
  CAF_CHECK(try_admit(nullptr, pass));
  CAF_CHECK(pass == nullptr);
  auto gate = queue_gate::make(1);
  CAF_CHECK(try_admit(gate, pass));
  CAF_CHECK(pass != nullptr);
  queue_gate::pass refused;
  CAF_CHECK(!try_admit(gate, refused));
  CAF_CHECK(refused == nullptr);
}

CAF_TEST(a gate knows how long its oldest pass has been held) {
  auto now = std::make_shared<std::chrono::steady_clock::time_point>(
    std::chrono::hours{1});
  auto gate = queue_gate::make(4, [now] { return *now; });
  CAF_CHECK(gate->oldest_wait() == std::chrono::seconds{0});
  auto first = gate->try_enter();
  *now += std::chrono::seconds{3};
  auto second = gate->try_enter();
  *now += std::chrono::seconds{4};
  CAF_CHECK(gate->oldest_wait() == std::chrono::seconds{7});
  first.reset();
  CAF_CHECK(gate->oldest_wait() == std::chrono::seconds{4});
  second.reset();
  CAF_CHECK(gate->oldest_wait() == std::chrono::seconds{0});
}
