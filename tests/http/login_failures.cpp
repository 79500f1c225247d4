#define CAF_SUITE http.login_failures
#include <caf/test/unit_test.hpp>

#include <string>

#include "http/login_failures.hpp"

using namespace idclaim;

namespace {

constexpr int64_t window_ms = 900'000;

} // namespace

CAF_TEST(failures count within the window only) {
  http::login_failures t{100, 10, window_ms};
  CAF_CHECK_EQUAL(t.count("alice", 0), 0);
  t.record("alice", 1'000);
  t.record("alice", 2'000);
  t.record("bob", 2'000);
  CAF_CHECK_EQUAL(t.count("alice", 2'000), 2);
  CAF_CHECK_EQUAL(t.count("bob", 2'000), 1);
  CAF_CHECK_EQUAL(t.count("carol", 2'000), 0);
  // The first failure ages out, then the second.
  CAF_CHECK_EQUAL(t.count("alice", 1'000 + window_ms + 1), 1);
  CAF_CHECK_EQUAL(t.count("alice", 2'000 + window_ms + 1), 0);
}

CAF_TEST(a name keeps only its newest failures) {
  http::login_failures t{100, 3, window_ms};
  for (int64_t i = 0; i < 20; ++i)
    t.record("alice", i);
  CAF_CHECK_EQUAL(t.count("alice", 20), 3);
  // The three kept are the newest: 17, 18, 19.
  CAF_CHECK_EQUAL(t.count("alice", 17 + window_ms), 3);
  CAF_CHECK_EQUAL(t.count("alice", 18 + window_ms), 2);
}

CAF_TEST(the table never outgrows its capacity) {
  http::login_failures t{4, 10, window_ms};
  for (int i = 0; i < 1000; ++i) {
    t.record("spray" + std::to_string(i), i);
    CAF_CHECK_LESS_OR_EQUAL(t.size(), 4u);
  }
  CAF_CHECK_EQUAL(t.size(), 4u);
  // The newest names stay, the oldest went.
  CAF_CHECK_EQUAL(t.count("spray999", 1000), 1);
  CAF_CHECK_EQUAL(t.count("spray996", 1000), 1);
  CAF_CHECK_EQUAL(t.count("spray995", 1000), 0);
}

CAF_TEST(a name failing again is the last to be forgotten) {
  http::login_failures t{3, 10, window_ms};
  t.record("victim", 0);
  t.record("a", 1);
  t.record("b", 2);
  t.record("victim", 3); // now the most recent
  t.record("c", 4);      // evicts "a", the oldest
  CAF_CHECK_EQUAL(t.count("victim", 5), 2);
  CAF_CHECK_EQUAL(t.count("a", 5), 0);
  CAF_CHECK_EQUAL(t.count("b", 5), 1);
  CAF_CHECK_EQUAL(t.count("c", 5), 1);
}

CAF_TEST(zero limits are raised to one) {
  http::login_failures t{0, 0, window_ms};
  t.record("a", 0);
  t.record("a", 1);
  t.record("b", 2);
  CAF_CHECK_EQUAL(t.size(), 1u);
  CAF_CHECK_EQUAL(t.count("b", 2), 1);
  CAF_CHECK_EQUAL(t.count("a", 2), 0);
}
