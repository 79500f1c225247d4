#define CAF_SUITE crypto.field_cipher
#include <caf/test/unit_test.hpp>

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "crypto/field_cipher.hpp"
#include "crypto/key_set.hpp"

using namespace idclaim::crypto;
using namespace std::string_literals;

namespace {

std::shared_ptr<const key_set> fresh_keys() {
  return std::make_shared<const key_set>(key_set::generate());
}

struct fixture {
  std::shared_ptr<const key_set> keys = fresh_keys();
  field_cipher cipher{keys};
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(field_cipher_tests, fixture)

CAF_TEST(seal then open returns the plaintext) {
  for (auto plain : {""s, "张三"s, "11010519491231002X"s, "a\0b\xff"s,
                     std::string(300 * 1024, 'p')}) {
    auto sealed = cipher.seal(plain, "account.name");
    CAF_CHECK_EQUAL(sealed.size(), plain.size() + field_cipher::overhead);
    auto opened = cipher.open(sealed, "account.name");
    CAF_REQUIRE(opened.has_value());
    CAF_CHECK(*opened == plain);
  }
}

CAF_TEST(an empty view seals and opens) {
  auto sealed = cipher.seal(std::string_view{}, std::string_view{});
  auto opened = cipher.open(sealed, "");
  CAF_REQUIRE(opened.has_value());
  CAF_CHECK(opened->empty());
}

CAF_TEST(sealed value starts with the version and the current key id) {
  auto sealed = cipher.seal("x", "ctx");
  CAF_CHECK_EQUAL(static_cast<int>(sealed[0]), field_cipher::format_version);
  CAF_CHECK_EQUAL(static_cast<int>(sealed[1]),
                  keys->current_encryption_id());
  CAF_CHECK_EQUAL(cipher.key_id_of(sealed), keys->current_encryption_id());
}

CAF_TEST(sealing twice gives different ciphertexts) {
  // A random nonce per value: equal plaintexts must not be linkable.
  CAF_CHECK_NOT_EQUAL(cipher.seal("13800138000", "account.mobile"),
                      cipher.seal("13800138000", "account.mobile"));
}

CAF_TEST(a value opened under another context fails) {
  auto sealed = cipher.seal("11010519491231002X", "claim.id_number");
  CAF_CHECK(!cipher.open(sealed, "account.name"));
  CAF_CHECK(!cipher.open(sealed, ""));
  CAF_CHECK(!cipher.open(sealed, "claim.id_number "));
}

CAF_TEST(any changed byte makes open fail) {
  auto sealed = cipher.seal("11010519491231002X", "claim.id_number");
  for (size_t i = 0; i < sealed.size(); ++i) {
    auto tampered = sealed;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    CAF_CHECK(!cipher.open(tampered, "claim.id_number"));
  }
}

CAF_TEST(truncated or empty input fails to open) {
  auto sealed = cipher.seal("abc", "ctx");
  for (size_t n = 0; n < sealed.size(); ++n)
    CAF_CHECK(!cipher.open(sealed.substr(0, n), "ctx"));
  CAF_CHECK(!cipher.open(sealed + "x", "ctx"));
}

CAF_TEST(another key set cannot open the value) {
  auto sealed = cipher.seal("secret", "ctx");
  field_cipher other{fresh_keys()};
  CAF_CHECK(!other.open(sealed, "ctx"));
}

CAF_TEST(a value sealed under an old key opens after rotation) {
  auto old_sealed = cipher.seal("old data", "account.name");
  auto rotated = std::make_shared<key_set>(*keys);
  auto new_id = rotated->rotate_encryption_key();
  field_cipher after{rotated};
  auto opened = after.open(old_sealed, "account.name");
  CAF_REQUIRE(opened.has_value());
  CAF_CHECK_EQUAL(*opened, "old data");
  // New data goes under the new key, which the old set does not know.
  auto new_sealed = after.seal("new data", "account.name");
  CAF_CHECK_EQUAL(after.key_id_of(new_sealed), new_id);
  CAF_CHECK_EQUAL(after.key_id_of(old_sealed), keys->current_encryption_id());
  CAF_CHECK(!cipher.open(new_sealed, "account.name"));
}

CAF_TEST(a value under a removed key no longer opens) {
  auto old_sealed = cipher.seal("old data", "ctx");
  auto rotated = std::make_shared<key_set>(*keys);
  rotated->rotate_encryption_key();
  rotated->remove_encryption_key(keys->current_encryption_id());
  field_cipher after{rotated};
  CAF_CHECK(!after.open(old_sealed, "ctx"));
}

CAF_TEST(key_id_of refuses malformed input) {
  auto sealed = cipher.seal("abc", "ctx");
  auto check_throws = [&](const std::string& input) {
    try {
      cipher.key_id_of(input);
      CAF_FAIL("expected std::invalid_argument");
    } catch (const std::invalid_argument&) {
      CAF_CHECK(true);
    }
  };
  check_throws("");
  check_throws(sealed.substr(0, field_cipher::overhead - 1));
  sealed[0] = 9;
  check_throws(sealed);
}

CAF_TEST_FIXTURE_SCOPE_END()
