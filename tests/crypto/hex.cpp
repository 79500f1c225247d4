#define CAF_SUITE crypto.hex
#include <caf/test/unit_test.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "crypto/hex.hpp"

using namespace idclaim::crypto;
using namespace std::string_literals;

CAF_TEST(to_hex writes two lower-case digits per byte) {
  CAF_CHECK_EQUAL(to_hex(""), "");
  CAF_CHECK_EQUAL(to_hex("\x00\x01\xab\xff"s), "0001abff");
}

CAF_TEST(from_hex reverses to_hex for every byte value) {
  std::string all;
  for (int i = 0; i < 256; ++i)
    all.push_back(static_cast<char>(i));
  auto back = from_hex(to_hex(all));
  CAF_REQUIRE(back.has_value());
  CAF_CHECK(*back == all);
}

CAF_TEST(from_hex accepts upper case) {
  CAF_CHECK(from_hex("ABFF") == std::optional<std::string>("\xab\xff"s));
}

CAF_TEST(from_hex refuses odd length and non-hex characters) {
  CAF_CHECK(!from_hex("abc"));
  CAF_CHECK(!from_hex("zz"));
  CAF_CHECK(!from_hex("ab cd"));
  CAF_CHECK(!from_hex("0x12"));
  CAF_CHECK(from_hex("") == std::optional<std::string>(""));
  CAF_CHECK(from_hex(std::string_view{}) == std::optional<std::string>(""));
}
