#define CAF_SUITE crypto.blind_index
#include <caf/test/unit_test.hpp>

#include <memory>
#include <string>
#include <vector>

#include <sodium.h>

#include "crypto/blind_index.hpp"
#include "crypto/key_set.hpp"

using namespace idclaim::crypto;
using namespace std::string_literals;

namespace {

std::shared_ptr<const key_set> fresh_keys() {
  return std::make_shared<const key_set>(key_set::generate());
}

struct fixture {
  std::shared_ptr<const key_set> keys = fresh_keys();
  blind_index index{keys};
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(blind_index_tests, fixture)

CAF_TEST(the same input gives the same 32 - byte index) {
  auto a = index.compute("mobile", "13800138000");
  CAF_CHECK_EQUAL(a.size(), blind_index::size);
  CAF_CHECK(a == index.compute("mobile", "13800138000"));
  // A second instance over the same keys agrees: indexes are stable.
  CAF_CHECK(a == blind_index{keys}.compute("mobile", "13800138000"));
}

CAF_TEST(a different value gives a different index) {
  CAF_CHECK(index.compute("mobile", "13800138000")
            != index.compute("mobile", "13800138001"));
}

CAF_TEST(a different domain gives a different index) {
  CAF_CHECK(index.compute("mobile", "110105194912310021")
            != index.compute("id.resident", "110105194912310021"));
  // The length prefix keeps the domain/value boundary unambiguous.
  CAF_CHECK(index.compute("ab", "c") != index.compute("a", "bc"));
  CAF_CHECK(index.compute("", "abc") != index.compute("abc", ""));
}

CAF_TEST(a different index key gives a different index) {
  blind_index other{fresh_keys()};
  CAF_CHECK(index.compute("mobile", "13800138000")
            != other.compute("mobile", "13800138000"));
}

CAF_TEST(rotating the encryption key leaves indexes unchanged) {
  auto rotated = std::make_shared<key_set>(*keys);
  rotated->rotate_encryption_key();
  CAF_CHECK(index.compute("mobile", "13800138000")
            == blind_index{rotated}.compute("mobile", "13800138000"));
}

CAF_TEST(during an index rotation lookups get the values under both keys) {
  auto before = index.compute("mobile", "13800138000");
  CAF_CHECK(index.compute_all("mobile", "13800138000").other.empty());
  // Step 1: a new index key that is not current yet.
  auto step1 = std::make_shared<key_set>(*keys);
  auto new_id = step1->add_next_index_key();
  auto v1 = blind_index{step1}.compute_all("mobile", "13800138000");
  CAF_CHECK(v1.current == before); // still written under the old key
  CAF_CHECK(!v1.other.empty() && v1.other != before);
  CAF_CHECK(v1.all() == std::vector<std::string>({v1.current, v1.other}));
  // Step 2: the new key is current; the old value is the other one.
  auto step2 = std::make_shared<key_set>(*step1);
  step2->set_current_index_id(new_id);
  blind_index switched{step2};
  auto v2 = switched.compute_all("mobile", "13800138000");
  CAF_CHECK(v2.current == v1.other);
  CAF_CHECK(v2.other == before);
  CAF_CHECK(switched.compute("mobile", "13800138000") == v2.current);
  CAF_CHECK(v2.matches(before) && v2.matches(v2.current));
  CAF_CHECK(!v2.matches(index.compute("mobile", "13800138001")));
  CAF_CHECK(v2.other_or_current() == before);
  CAF_CHECK(
    v1.current
    == blind_index::compute_with(keys->index_key(), "mobile", "13800138000"));
  // Step 3: the old key gone, only the new value is left.
  auto step3 = std::make_shared<key_set>(*step2);
  step3->remove_index_key(keys->index_key_id());
  auto v3 = blind_index{step3}.compute_all("mobile", "13800138000");
  CAF_CHECK(v3.current == v2.current);
  CAF_CHECK(v3.other.empty());
  CAF_CHECK(v3.other_or_current() == v3.current);
}

CAF_TEST(the encoding matches the documented format) {
  // Stored indexes depend on this exact encoding; changing it would make
  // every existing row unfindable.
  auto key = std::string(secret_key::size, '\x01');
  secret_key raw;
  std::copy(key.begin(), key.end(), raw.data());
  auto keys = std::make_shared<const key_set>(1, secret_key::random(), 1, raw);
  auto input = "\x06\0\0\0\0\0\0\0"s + "mobile" + "13800138000";
  std::string expected(32, '\0');
  crypto_generichash(
    reinterpret_cast<unsigned char*>(expected.data()), 32,
    reinterpret_cast<const unsigned char*>(input.data()), input.size(),
    reinterpret_cast<const unsigned char*>(key.data()), key.size());
  CAF_CHECK(blind_index{keys}.compute("mobile", "13800138000") == expected);
}

CAF_TEST_FIXTURE_SCOPE_END()
