#define CAF_SUITE bench.workload
#include <caf/test/unit_test.hpp>

#include <set>
#include <stdexcept>
#include <variant>

#include "bench/url_encode.hpp"
#include "bench/workload.hpp"
#include "domain/fields.hpp"
#include "domain/id_number.hpp"

using namespace idclaim;
using bench::identity_source;

namespace {

bool valid_id(const std::string& id) {
  auto r = domain::parse_id_number(domain::id_type::resident, id,
                                   domain::civil_date{2026, 12, 3});
  auto ok = std::get_if<domain::normalized_id>(&r);
  return ok != nullptr && ok->number == id;
}

const std::vector<std::uint64_t> samples{0,        1,        999,      1000,
                                         1001,     54321,    999999,   24999999,
                                         25000000, 25000001, 123456789};

} // namespace

CAF_TEST(generated ID numbers are valid and distinct) {
  identity_source ids{4711};
  std::set<std::string> seen;
  for (auto n : samples) {
    auto id = ids.resident_id(n);
    CAF_CHECK_EQUAL(id.size(), 18u);
    CAF_CHECK(valid_id(id));
    seen.insert(id);
  }
  CAF_CHECK_EQUAL(seen.size(), samples.size());
  for (std::uint64_t n = 0; n < 3000; ++n)
    seen.insert(ids.resident_id(n));
  CAF_CHECK_EQUAL(seen.size(), samples.size() + 3000 - 5);
}

CAF_TEST(the seed keeps two runs apart) {
  identity_source a{1};
  identity_source b{2};
  CAF_CHECK_NOT_EQUAL(a.resident_id(7), b.resident_id(7));
  CAF_CHECK_NOT_EQUAL(a.username("r", 7), b.username("r", 7));
  CAF_CHECK_EQUAL(a.resident_id(7), identity_source{1}.resident_id(7));
}

CAF_TEST(usernames names and mobiles pass the registration rules) {
  identity_source ids{99};
  std::set<std::string> names;
  for (auto n : samples) {
    for (auto role : {"r", "abcd"}) {
      auto u = ids.username(role, n);
      CAF_CHECK(std::holds_alternative<domain::valid_username>(
        domain::parse_username(u)));
      names.insert(u);
    }
    CAF_CHECK(
      std::holds_alternative<std::string>(domain::parse_mobile(ids.mobile(n))));
    CAF_CHECK(
      std::holds_alternative<std::string>(domain::parse_name(ids.name(n))));
  }
  CAF_CHECK_EQUAL(names.size(), 2 * samples.size());
  CAF_CHECK_NOT_EQUAL(ids.mobile(1), ids.mobile(2));
}

CAF_TEST(a username role must be one to four letters) {
  identity_source ids{1};
  auto throws = [&](const char* role) {
    try {
      ids.username(role, 1);
    } catch (const std::invalid_argument&) {
      return true;
    }
    return false;
  };
  CAF_CHECK(throws(""));
  CAF_CHECK(throws("abcde"));
  CAF_CHECK(!throws("abcd"));
}

CAF_TEST(a registration body carries the identity) {
  identity_source ids{5};
  auto id = ids.resident_id(3);
  auto plain = bench::registration_body(ids, "r", 3, id, false);
  CAF_CHECK_EQUAL(plain["username"], ids.username("r", 3));
  CAF_CHECK_EQUAL(plain["id_number"], id);
  CAF_CHECK_EQUAL(plain["password"], std::string{bench::bench_password});
  CAF_CHECK(!plain.contains("acknowledge_duplicate"));
  auto ack = bench::registration_body(ids, "r", 3, id, true);
  CAF_CHECK_EQUAL(ack["acknowledge_duplicate"], true);
  CAF_CHECK(std::holds_alternative<std::string>(domain::parse_password(
    std::string{bench::bench_password}, ids.username("r", 3))));
}

CAF_TEST(base36 and url encoding) {
  CAF_CHECK_EQUAL(bench::base36(0), "0");
  CAF_CHECK_EQUAL(bench::base36(35), "z");
  CAF_CHECK_EQUAL(bench::base36(36), "10");
  CAF_CHECK_EQUAL(bench::url_encode("aZ09-._~"), "aZ09-._~");
  CAF_CHECK_EQUAL(bench::url_encode("a+b/c=d e"), "a%2Bb%2Fc%3Dd%20e");
  CAF_CHECK_EQUAL(bench::url_encode("\xe4"), "%E4");
}
