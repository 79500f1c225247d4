#define CAF_SUITE crypto.password_hash
#include <caf/test/unit_test.hpp>

#include <string>
#include <string_view>

#include "crypto/password_hash.hpp"

using namespace idclaim::crypto;
using namespace std::string_literals;

CAF_TEST(hash costs parse and print) {
  for (auto cost : {hash_cost::fast, hash_cost::interactive,
                    hash_cost::moderate})
    CAF_CHECK(parse_hash_cost(to_string(cost)) == cost);
  CAF_CHECK_EQUAL(to_string(hash_cost::interactive), "interactive");
  CAF_CHECK(!parse_hash_cost(""));
  CAF_CHECK(!parse_hash_cost("Fast"));
  CAF_CHECK(!parse_hash_cost("slow"));
}

CAF_TEST(a hash verifies its password and no other) {
  auto hash = hash_password("correct horse", hash_cost::fast);
  CAF_CHECK_EQUAL(hash.rfind("$argon2id$", 0), 0u);
  CAF_CHECK(verify_password(hash, "correct horse"));
  CAF_CHECK(!verify_password(hash, "correct horse "));
  CAF_CHECK(!verify_password(hash, "Correct horse"));
  CAF_CHECK(!verify_password(hash, ""));
}

CAF_TEST(passwords with any bytes round trip) {
  for (auto password : {""s, "密码123"s, "a\0b"s, std::string(1000, 'x')}) {
    auto hash = hash_password(password, hash_cost::fast);
    CAF_CHECK(verify_password(hash, password));
  }
  auto empty = hash_password(std::string_view{}, hash_cost::fast);
  CAF_CHECK(verify_password(empty, std::string_view{}));
  CAF_CHECK(verify_password(empty, ""));
  // An embedded NUL is part of the password, not its end.
  CAF_CHECK(!verify_password(hash_password("a\0b"s, hash_cost::fast), "a"));
}

CAF_TEST(the same password hashes differently each time) {
  // A random salt per hash: equal passwords must not be visible as such.
  CAF_CHECK_NOT_EQUAL(hash_password("pw", hash_cost::fast),
                      hash_password("pw", hash_cost::fast));
}

CAF_TEST(malformed stored hashes never verify) {
  auto hash = hash_password("pw", hash_cost::fast);
  CAF_CHECK(!verify_password("", "pw"));
  CAF_CHECK(!verify_password("not a hash", "pw"));
  CAF_CHECK(!verify_password(hash.substr(0, hash.size() - 4), "pw"));
  CAF_CHECK(!verify_password(hash + std::string(200, 'A'), "pw"));
  CAF_CHECK(!verify_password(hash + "\0"s, "pw"));
}

CAF_TEST(needs_rehash compares the stored cost with the wanted one) {
  auto fast = hash_password("pw", hash_cost::fast);
  auto interactive = hash_password("pw", hash_cost::interactive);
  CAF_CHECK(verify_password(interactive, "pw"));
  CAF_CHECK(!needs_rehash(fast, hash_cost::fast));
  CAF_CHECK(needs_rehash(fast, hash_cost::interactive));
  CAF_CHECK(needs_rehash(fast, hash_cost::moderate));
  CAF_CHECK(!needs_rehash(interactive, hash_cost::interactive));
  CAF_CHECK(needs_rehash(interactive, hash_cost::fast));
  CAF_CHECK(needs_rehash(interactive, hash_cost::moderate));
}

CAF_TEST(needs_rehash asks for a new hash when the stored one is unusable) {
  CAF_CHECK(needs_rehash("", hash_cost::fast));
  CAF_CHECK(needs_rehash("garbage", hash_cost::fast));
  // Argon2i is not Argon2id, even at matching limits.
  auto hash = hash_password("pw", hash_cost::fast);
  auto argon2i = "$argon2i$" + hash.substr(std::string("$argon2id$").size());
  CAF_CHECK(needs_rehash(argon2i, hash_cost::fast));
}

CAF_TEST(burn_verify_time runs without a user) {
  // The first call creates the dummy hash, later ones verify against it.
  burn_verify_time(hash_cost::fast);
  burn_verify_time(hash_cost::fast);
  CAF_CHECK(true);
}
