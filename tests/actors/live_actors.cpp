#define CAF_SUITE actors.live_actors
#include <caf/test/unit_test.hpp>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "actors/live_actors.hpp"

using namespace idclaim::actors;
using namespace std::chrono_literals;

namespace {

using registry = live_actors<std::string, int>;
using time_point = registry::time_point;

/// A registry whose "actors" are numbers, with the taken counter of each
/// kept so the test plays the actor; time is whatever the test says.
struct fixture {
  registry live;
  actor_stats stats;
  std::map<std::string, taken_counter> taken;
  time_point t0{std::chrono::hours{1000}};
  int next = 1;

  fixture() { live.set_stats(&stats); }

  void forward(const std::string& key, time_point at) {
    live.forward_to(key, at, [this](const std::string& k, taken_counter c) {
      taken[k] = std::move(c);
      return next++;
    });
  }

  void take(const std::string& key, std::uint64_t n) { *taken.at(key) += n; }

  /// The keys an idle probe with `cutoff` would ask, in the order asked.
  std::vector<std::string> quiet_since(time_point cutoff) {
    std::vector<std::string> keys;
    live.for_each_quiet_since(
      cutoff, [&](const std::string& key, int) { keys.push_back(key); });
    return keys;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(live_actors_tests, fixture)

CAF_TEST(no live actor means an empty mailbox and no wait) {
  auto h = live.health(t0);
  CAF_CHECK_EQUAL(h.max_messages, 0u);
  CAF_CHECK(h.oldest_wait == 0s);
  CAF_CHECK_EQUAL(stats.mailbox_max.load(), 0u);
  CAF_CHECK_EQUAL(stats.oldest_wait_us.load(), 0);
}

CAF_TEST(the deepest mailbox and the oldest waiting message are exact) {
  forward("a", t0);
  forward("a", t0 + 1s);
  forward("a", t0 + 2s);
  forward("b", t0 + 3s);
  auto h = live.health(t0 + 10s);
  CAF_CHECK_EQUAL(h.max_messages, 3u);
  CAF_CHECK(h.oldest_wait == 10s);
  CAF_CHECK_EQUAL(stats.mailbox_max.load(), 3u);
  CAF_CHECK_EQUAL(stats.oldest_wait_us.load(), 10'000'000);
  CAF_CHECK_EQUAL(stats.queued(), 4u - stats.handled.load());
  // "a" takes its first message: the next one, sent at +1 s, is oldest.
  take("a", 1);
  h = live.health(t0 + 10s);
  CAF_CHECK_EQUAL(h.max_messages, 2u);
  CAF_CHECK(h.oldest_wait == 9s);
  // "a" is empty: what is left is b's one message, sent at +3 s.
  take("a", 2);
  h = live.health(t0 + 10s);
  CAF_CHECK_EQUAL(h.max_messages, 1u);
  CAF_CHECK(h.oldest_wait == 7s);
  // The wait grows with time while nothing is taken ...
  CAF_CHECK(live.health(t0 + 20s).oldest_wait == 17s);
  // ... and ends when the message is taken.
  take("b", 1);
  h = live.health(t0 + 20s);
  CAF_CHECK_EQUAL(h.max_messages, 0u);
  CAF_CHECK(h.oldest_wait == 0s);
  CAF_CHECK_EQUAL(stats.mailbox_max.load(), 0u);
  CAF_CHECK_EQUAL(stats.oldest_wait_us.load(), 0);
}

CAF_TEST(a long stream through a short mailbox keeps exact ages) {
  // Two messages in flight at a time, a thousand times: the ring wraps
  // around many times and the oldest is always the one sent a second ago.
  forward("a", t0);
  for (int i = 1; i <= 1000; ++i) {
    auto now = t0 + std::chrono::seconds{i};
    forward("a", now);
    auto h = live.health(now);
    CAF_REQUIRE_EQUAL(h.max_messages, 2u);
    CAF_REQUIRE(h.oldest_wait == 1s);
    take("a", 1);
  }
  take("a", 1);
  CAF_CHECK_EQUAL(live.health(t0 + 2000s).max_messages, 0u);
}

CAF_TEST(messages to live actors only and to all count too) {
  forward("a", t0);
  take("a", 1);
  CAF_CHECK(live.forward_if_live("nobody", t0 + 1s) == nullptr);
  CAF_CHECK(live.forward_if_live("a", t0 + 1s) != nullptr);
  forward("b", t0 + 2s);
  live.forward_to_all(t0 + 3s, [](const std::string&, int&) {});
  auto h = live.health(t0 + 5s);
  CAF_CHECK_EQUAL(h.max_messages, 2u); // a: +1 s and +3 s; b: +2 s, +3 s
  CAF_CHECK(h.oldest_wait == 4s);
  CAF_CHECK_EQUAL(stats.forwarded.load(), 5u);
}

CAF_TEST(a stopped actor leaves the figures) {
  forward("a", t0);
  take("a", 1);
  forward("b", t0 + 1s);
  CAF_REQUIRE(live.on_idle("a", 1).has_value());
  auto h = live.health(t0 + 2s);
  CAF_CHECK_EQUAL(h.max_messages, 1u);
  CAF_CHECK(h.oldest_wait == 1s);
  CAF_CHECK(live.forget_ended([](int actor) { return actor == 2; }, true));
  CAF_CHECK_EQUAL(live.health(t0 + 2s).max_messages, 0u);
}

CAF_TEST(only actors quiet since the cutoff with nothing waiting are probed) {
  forward("old", t0);          // quiet since t0, message taken below
  forward("busy", t0);         // quiet since t0, message still waiting
  forward("recent", t0 + 30s); // taken, but forwarded after the cutoff
  take("old", 1);
  take("recent", 1);
  auto probed = quiet_since(t0 + 10s);
  CAF_REQUIRE_EQUAL(probed.size(), 1u);
  CAF_CHECK_EQUAL(probed.front(), "old");
  // Once the waiting message is taken, the busy one is quiet too.
  take("busy", 1);
  CAF_CHECK_EQUAL(quiet_since(t0 + 10s).size(), 2u);
}

CAF_TEST(probes walk the quiet actors oldest first and a message renews one) {
  forward("a", t0);
  forward("b", t0 + 1s);
  forward("c", t0 + 2s);
  forward("a", t0 + 3s); // a is now the most recently used
  take("a", 2);
  take("b", 1);
  take("c", 1);
  CAF_CHECK(quiet_since(t0 + 2s) == (std::vector<std::string>{"b", "c"}));
  // Stopping one keeps the order of the rest.
  CAF_REQUIRE(live.on_idle("b", 1).has_value());
  CAF_CHECK(quiet_since(t0 + 5s) == (std::vector<std::string>{"c", "a"}));
  CAF_CHECK(live.forget_ended([](int actor) { return actor == 3; }, false));
  CAF_CHECK(quiet_since(t0 + 5s) == (std::vector<std::string>{"a"}));
  CAF_REQUIRE(live.on_idle("a", 2).has_value());
  CAF_CHECK(quiet_since(t0 + 5s).empty());
  // A registry emptied and filled again links its entries afresh.
  forward("d", t0 + 6s);
  take("d", 1);
  CAF_CHECK(quiet_since(t0 + 6s) == (std::vector<std::string>{"d"}));
}

CAF_TEST(send times wrap grow and give memory back) {
  send_times q;
  CAF_CHECK(q.empty());
  for (int i = 0; i < 5; ++i)
    q.push(time_point{std::chrono::seconds{i}});
  CAF_CHECK_EQUAL(q.size(), 5u);
  q.drop_front(3);
  CAF_CHECK(q.front() == time_point{3s});
  for (int i = 5; i < 40; ++i)
    q.push(time_point{std::chrono::seconds{i}});
  CAF_CHECK_EQUAL(q.size(), 37u);
  CAF_CHECK(q.front() == time_point{3s});
  q.drop_front(36);
  CAF_CHECK(q.front() == time_point{39s});
  q.drop_front(5); // more than there are: empties
  CAF_CHECK(q.empty());
  q.push(time_point{41s});
  CAF_CHECK(q.front() == time_point{41s});
  // A ring with a time in it is kept; an empty one is given back.
  q.release_if_empty();
  CAF_CHECK_GREATER(q.capacity(), 0u);
  q.drop_front(1);
  CAF_CHECK_GREATER(q.capacity(), 0u); // small rings stay while in use
  q.release_if_empty();
  CAF_CHECK_EQUAL(q.capacity(), 0u);
  q.push(time_point{42s}); // and it grows again from nothing
  CAF_CHECK(q.front() == time_point{42s});
}

CAF_TEST_FIXTURE_SCOPE_END()
