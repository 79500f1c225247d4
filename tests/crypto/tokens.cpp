#define CAF_SUITE crypto.tokens
#include <caf/test/unit_test.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <set>
#include <stdexcept>
#include <string>

#include "crypto/tokens.hpp"

using namespace idclaim::crypto;

namespace {

bool is_url_safe(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
}

bool all_digits(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return c >= '0' && c <= '9';
  });
}

} // namespace

CAF_TEST(random tokens are 43 URL-safe characters) {
  for (int i = 0; i < 100; ++i) {
    auto token = random_token();
    CAF_CHECK_EQUAL(token.size(), token_length);
    CAF_CHECK(std::all_of(token.begin(), token.end(), is_url_safe));
  }
}

CAF_TEST(random tokens do not repeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i)
    seen.insert(random_token());
  CAF_CHECK_EQUAL(seen.size(), 10000u);
}

CAF_TEST(token digests are 32 bytes and deterministic) {
  auto token = random_token();
  auto digest = token_digest(token);
  CAF_CHECK_EQUAL(digest.size(), 32u);
  CAF_CHECK(digest == token_digest(token));
  CAF_CHECK(digest != token_digest(random_token()));
  CAF_CHECK(digest.find(token) == std::string::npos);
}

CAF_TEST(random_digits has the asked length and only digits) {
  for (int n : {0, 1, 6, 32}) {
    auto code = random_digits(n);
    CAF_CHECK_EQUAL(code.size(), static_cast<size_t>(n));
    CAF_CHECK(all_digits(code));
  }
}

CAF_TEST(random_digits uses every digit) {
  // 20000 digits, 2000 expected per value (sd about 42): a bound at 1500 is
  // over 11 sd away, so only a broken generator fails this.
  std::array<int, 10> counts{};
  auto digits = random_digits(20000);
  for (char c : digits)
    ++counts[static_cast<size_t>(c - '0')];
  for (int count : counts)
    CAF_CHECK_GREATER(count, 1500);
}

CAF_TEST(random_digits refuses a negative length) {
  try {
    random_digits(-1);
    CAF_FAIL("expected std::invalid_argument");
  } catch (const std::invalid_argument&) {
    CAF_CHECK(true);
  }
}
