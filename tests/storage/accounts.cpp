#define CAF_SUITE storage.accounts
#include <caf/test/unit_test.hpp>

#include "storage/storage_error.hpp"
#include "tests/support/storage_fixture.hpp"

using namespace idclaim;
using namespace idclaim::testing;
using storage::insert_refusal;

CAF_TEST_FIXTURE_SCOPE(accounts_tests, storage_fixture)

CAF_TEST(an inserted account is found by id and by username) {
  auto c = claim("k-find");
  auto a = account("alice", c, account_status::active);
  a.mobile_cipher = std::string{"\x00\x01mobile", 8};
  a.mobile_index = std::string{"\xffidx\x00", 5};
  auto id = insert(a);
  CAF_REQUIRE_NOT_EQUAL(id, 0);
  auto row = conn->accounts().find(id);
  CAF_REQUIRE(row.has_value());
  CAF_CHECK_EQUAL(row->username, "alice");
  CAF_CHECK_EQUAL(row->name_cipher, a.name_cipher);
  CAF_CHECK_EQUAL(row->mobile_cipher, a.mobile_cipher);
  CAF_CHECK_EQUAL(row->claim, c);
  CAF_CHECK_EQUAL(row->claim_key, "k-find");
  CAF_CHECK_EQUAL(row->status, account_status::active);
  CAF_CHECK_EQUAL(row->email_cipher, "");
  CAF_CHECK_EQUAL(row->created_ms, 2000);
  auto by_name = conn->accounts().find_by_username("alice");
  CAF_REQUIRE(by_name.has_value());
  CAF_CHECK_EQUAL(by_name->id, id);
  auto by_mobile = conn->accounts().by_mobile(a.mobile_index);
  CAF_REQUIRE_EQUAL(by_mobile.size(), 1u);
  CAF_CHECK_EQUAL(by_mobile[0].id, id);
  CAF_CHECK(!conn->accounts().find(id + 1000).has_value());
}

CAF_TEST(a second active account on a claim is refused by the index) {
  auto c = claim("k-i1");
  CAF_REQUIRE_NOT_EQUAL(insert(account("holder", c, account_status::active)),
                        0);
  conn->begin();
  auto r = conn->accounts().insert(account("rival", c, account_status::active));
  // The refusal leaves the transaction usable on both backends.
  auto claimant = conn->accounts().insert(account("claimant", c));
  conn->commit();
  CAF_REQUIRE(std::holds_alternative<insert_refusal>(r));
  CAF_CHECK_EQUAL(std::get<insert_refusal>(r), insert_refusal::active_exists);
  CAF_CHECK(std::holds_alternative<account_id>(claimant));
  CAF_CHECK_EQUAL(conn->claims().state(c).claimants, 1);
  CAF_CHECK_EQUAL(conn->accounts().on_claim(c).size(), 2u);
}

CAF_TEST(activating a claimant next to a holder violates the index) {
  auto c = claim("k-i1b");
  insert(account("holder2", c, account_status::active));
  auto claimant = insert(account("claimant2", c));
  conn->begin();
  bool refused = false;
  try {
    conn->accounts().activate(claimant, 3000);
  } catch (const storage::storage_error& e) {
    refused = e.kind() == storage::failure_kind::unique_violation
              && e.violates("claim_id");
  }
  conn->rollback();
  CAF_CHECK(refused);
}

CAF_TEST(resolution cancels the others then activates the winner) {
  auto c = claim("k-res");
  auto holder = insert(account("h3", c, account_status::active));
  auto winner = insert(account("w3", c));
  auto other = insert(account("o3", c));
  conn->begin();
  auto cancelled = conn->accounts().cancel_all_but(c, winner, "lost", 4000);
  CAF_CHECK(conn->accounts().activate(winner, 4000));
  CAF_CHECK(!conn->accounts().activate(winner, 4000));
  conn->commit();
  CAF_CHECK_EQUAL(cancelled, (std::vector<account_id>{holder, other}));
  auto loser = conn->accounts().find(holder).value();
  CAF_CHECK_EQUAL(loser.status, account_status::cancelled);
  CAF_CHECK_EQUAL(loser.cancel_reason, "lost");
  CAF_CHECK_EQUAL(conn->claims().state(c).holder, winner);
}

CAF_TEST(a taken username key is refused on insert and on rename) {
  auto c1 = claim("k-u1");
  auto c2 = claim("k-u2");
  auto first = insert(account("bob", c1, account_status::active));
  CAF_REQUIRE_NOT_EQUAL(first, 0);
  auto twin = account("BOB", c2, account_status::active);
  twin.username_key = "bob";
  conn->begin();
  auto r = conn->accounts().insert(twin);
  conn->commit();
  CAF_REQUIRE(std::holds_alternative<insert_refusal>(r));
  CAF_CHECK_EQUAL(std::get<insert_refusal>(r), insert_refusal::username_taken);
  auto second = insert(account("carol", c2, account_status::active));
  conn->begin();
  CAF_CHECK(!conn->accounts().set_username(second, "Bob", "bob", 5000));
  CAF_CHECK(
    conn->accounts().set_username(second, "Caroline", "caroline", 5000));
  conn->commit();
  auto renamed = conn->accounts().find(second).value();
  CAF_CHECK_EQUAL(renamed.username, "Caroline");
}

CAF_TEST(profile updates are stored) {
  auto c = claim("k-p");
  auto id = insert(account("frank", c, account_status::active));
  conn->begin();
  conn->accounts().set_mobile(id, "mc", "mi", true, 7000);
  conn->accounts().set_email(id, "ec", 7001);
  conn->accounts().set_registrations(id, true, false, 7002);
  conn->commit();
  auto row = conn->accounts().find(id);
  CAF_REQUIRE(row.has_value());
  CAF_CHECK_EQUAL(row->mobile_cipher, "mc");
  CAF_CHECK_EQUAL(row->mobile_index, "mi");
  CAF_CHECK(row->mobile_bound);
  CAF_CHECK_EQUAL(row->email_cipher, "ec");
  CAF_CHECK(row->military_registered);
  CAF_CHECK(!row->grad_exam_registered);
  CAF_CHECK_EQUAL(row->updated_ms, 7002);
  conn->begin();
  conn->accounts().set_email(id, "", 7003);
  conn->commit();
  auto cleared = conn->accounts().find(id).value();
  CAF_CHECK_EQUAL(cleared.email_cipher, "");
}

CAF_TEST_FIXTURE_SCOPE_END()
