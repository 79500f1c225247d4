#define CAF_SUITE actors.claim_keys
#include <caf/test/unit_test.hpp>

#include <string>
#include <vector>

#include "actors/claim_transactions.hpp"
#include "tests/support/storage_fixture.hpp"

using namespace idclaim;
using namespace idclaim::actors;
using namespace idclaim::testing;

namespace {

/// Claim transactions during a blind-index key rotation: the claim key of
/// one ID has a value under each index key ("old", "new" below).
struct fixture : storage_fixture {
  int registered = 0;

  registration person(bool acknowledge) {
    auto name = "user" + std::to_string(++registered);
    registration r;
    r.username = name;
    r.username_key = name;
    r.password_hash = "hash-" + name;
    r.name_cipher = "name-cipher";
    r.id_cipher = "id-cipher";
    r.mobile_cipher = "mobile-cipher";
    r.mobile_index = "mobile-index";
    r.acknowledge_duplicate = acknowledge;
    return r;
  }

  claim_outcome run(const claim_keys& keys, const registration& reg) {
    conn->begin();
    auto out = run_claim_ops(*conn, keys, std::vector<claim_op>{reg},
                             txn_env{3000, {}});
    conn->commit();
    return out.outcomes.at(0);
  }

  int64_t claim_rows() {
    conn->begin();
    auto n = conn->driver()
               .exec("SELECT count(*) FROM claims", {})
               .rows[0]
               .integer(0);
    conn->commit();
    return n;
  }

  static std::string code_of(const claim_outcome& out) {
    auto p = std::get_if<problem>(&out);
    return p ? std::string{info(p->code).code} : std::string{};
  }

  static bool restricted(const claim_outcome& out) {
    auto r = std::get_if<registration_result>(&out);
    return r && r->status == account_status::restricted;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(claim_keys_tests, fixture)

CAF_TEST(a claim is found under either of its index values) {
  auto old_claim = claim("k-old");
  conn->begin();
  auto found = conn->claims().find_either("k-new", "k-old");
  CAF_REQUIRE(found);
  CAF_CHECK_EQUAL(found->first, old_claim);
  CAF_CHECK_EQUAL(found->second, "k-old");
  CAF_CHECK(conn->claims().find_either("k-old", ""));
  CAF_CHECK(!conn->claims().find_either("k-x", "k-y"));
  CAF_CHECK(!conn->claims().find_either("k-new", ""));
  conn->commit();
  // Should both exist, the one under the current value wins.
  auto new_claim = claim("k-new");
  conn->begin();
  auto prefer_new = conn->claims().find_either("k-new", "k-old");
  auto prefer_old = conn->claims().find_either("k-old", "k-new");
  CAF_REQUIRE(prefer_new && prefer_old);
  CAF_CHECK_EQUAL(prefer_new->first, new_claim);
  CAF_CHECK_EQUAL(prefer_old->first, old_claim);
  conn->commit();
}

CAF_TEST(a registration under the new value finds the claim under the old) {
  // Before the switch: the holder's claim is stored under the old value.
  CAF_REQUIRE(std::holds_alternative<registration_result>(
    run(claim_keys{"k-old", {}}, person(false))));
  CAF_CHECK_EQUAL(claim_rows(), 1);
  // After the switch, before the sweep: the conflict, not a new holder.
  auto refused = run(claim_keys{"k-new", "k-old"}, person(false));
  CAF_CHECK_EQUAL(code_of(refused), "ID_ALREADY_REGISTERED");
  CAF_CHECK(restricted(run(claim_keys{"k-new", "k-old"}, person(true))));
  CAF_CHECK_EQUAL(claim_rows(), 1);
  // A server not yet switched (step 1: writes old, looks up both) finds a
  // claim a switched one created under the new value.
  CAF_REQUIRE(std::holds_alternative<registration_result>(
    run(claim_keys{"k2-new", "k2-old"}, person(false))));
  CAF_CHECK_EQUAL(code_of(run(claim_keys{"k2-old", "k2-new"}, person(false))),
                  "ID_ALREADY_REGISTERED");
  CAF_CHECK_EQUAL(claim_rows(), 2);
}

CAF_TEST(a lookup under the new value alone would make a second claim) {
  // The control: what the rotation's double lookup prevents.
  CAF_REQUIRE(std::holds_alternative<registration_result>(
    run(claim_keys{"k-old", {}}, person(false))));
  auto second = run(claim_keys{"k-new", {}}, person(false));
  CAF_CHECK(std::holds_alternative<registration_result>(second));
  CAF_CHECK_EQUAL(claim_rows(), 2);
}

CAF_TEST_FIXTURE_SCOPE_END()
