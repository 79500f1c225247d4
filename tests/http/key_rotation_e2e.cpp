#define CAF_SUITE http.key_rotation_e2e
#include <caf/test/unit_test.hpp>

#include <memory>
#include <string>
#include <vector>

#include "crypto/blind_index.hpp"
#include "crypto/field_cipher.hpp"
#include "crypto/key_rotation.hpp"
#include "crypto/key_set.hpp"
#include "storage/reindex_sweep.hpp"
#include "storage/reseal_sweep.hpp"
#include "tests/support/classroom.hpp"
#include "tests/support/images.hpp"

using namespace idclaim;
using namespace idclaim::testing;
namespace bh = boost::beast::http;

namespace {

std::string masked_mobile(const std::string& m) {
  return m.substr(0, 3) + "****" + m.substr(7);
}

struct fixture {
  test_service svc;
  http_client c = svc.client();
  std::string operator_token = staff_token(svc, c, "operator", "operator01");
  std::string reviewer_token = staff_token(svc, c, "reviewer", "reviewer01");
  int rooms = 0;

  std::string key_file() {
    return svc.service().context()->settings.effective_key_file();
  }

  /// The service's key source, to make it re-read the key file now rather
  /// than within the second it would take by itself.
  const crypto::key_source& service_keys() {
    return *svc.service().context()->cipher->keys();
  }

  classroom make_classroom() {
    return testing::make_classroom(svc, c, operator_token, ++rooms);
  }

  json_reply get(const std::string& target, const std::string& token) {
    return call(c, bh::verb::get, target, nullptr, token);
  }

  /// Registration on a held ID without acknowledging is refused: the
  /// conflict lookup by blind index found the claim.
  void check_conflict(const std::string& id_number, const std::string& who) {
    auto r = register_person(c, {who}, id_number, false);
    CAF_CHECK_EQUAL(r.status, 409u);
    CAF_CHECK_EQUAL(r.error_code(), "ID_ALREADY_REGISTERED");
  }

  /// Login works and /me opens the sealed mobile and ID number.
  void check_me(const classroom& r) {
    auto token = login(c, r.holder_username);
    auto me = get("/api/v1/me", token);
    CAF_REQUIRE_EQUAL(me.status, 200u);
    CAF_CHECK_EQUAL(me.body["mobile"], masked_mobile(r.holder_mobile));
    auto id = r.held_id;
    CAF_CHECK_EQUAL(me.body["id_number"],
                    id.substr(0, 1) + std::string(16, '*') + id.substr(17));
  }

  /// The assist path matches name and mobile against the records and the
  /// classmate's account (sealed values opened, blind indexes looked up).
  void check_assist(const classroom& r) {
    auto sent = ask_classmate(c, r, r.classmate_name, r.classmate_mobile,
                              "13800138000");
    CAF_CHECK_EQUAL(sent.status, 201u);
    auto inbox = get("/api/v1/inbox", r.classmate_token);
    CAF_REQUIRE_EQUAL(inbox.status, 200u);
    CAF_CHECK_EQUAL(inbox.body["items"][0]["requester_mobile"], "13800138000");
  }

  /// A review case with photos, sealed under whichever key is current.
  int64_t open_case(const std::string& tag) {
    auto id = nth_resident_id(7000 + static_cast<int>(tag.size()));
    must_register(c, {"pholder" + tag}, id, false);
    must_register(c, {"pclaim" + tag}, id);
    auto token = login(c, "pclaim" + tag);
    auto r = submit_photos(c, token, make_jpeg(64, 48), make_png(64, 48));
    CAF_REQUIRE_EQUAL(r.status, 201u);
    return r.body["review"]["id"].get<int64_t>();
  }

  void check_photo(int64_t case_id) {
    auto photo = c.request(bh::verb::get,
                           "/api/v1/admin/reviews/" + std::to_string(case_id)
                             + "/photos/back",
                           "", {{"Authorization", "Bearer " + reviewer_token}});
    CAF_CHECK_EQUAL(photo.result_int(), 200u);
    CAF_CHECK_EQUAL(photo.body(), make_png(64, 48));
  }

  int64_t stale(crypto::key_id current) {
    int64_t n = -1;
    in_storage(svc, [&](storage::connection& conn) {
      n = storage::count_stale_sealed(conn, current);
    });
    return n;
  }

  json_reply post(const std::string& target, const nlohmann::json& body,
                  const std::string& token = {}) {
    return call(c, bh::verb::post, target, body, token);
  }

  /// The `n`-th verification code sent to `mobile` (tests/support).
  std::string nth_code(const std::string& mobile, std::size_t n) {
    auto code = nth_sms_code(svc, mobile, n);
    CAF_REQUIRE(!code.empty());
    return code;
  }

  /// 找回用户名 step 1 for the holder of `r` (ID and name): a code to the
  /// holder's bound mobile, found through the claim key and the mobile
  /// index.
  std::string recovery_code(const classroom& r, std::size_t nth) {
    auto sent = post("/api/v1/username-recovery/code", recovery_body(r));
    CAF_CHECK_EQUAL(sent.status, 202u);
    return nth_code(r.holder_mobile, nth);
  }

  nlohmann::json recovery_body(const classroom& r) {
    return {
      {"id_type", "resident"}, {"id_number", r.held_id}, {"name", "李小龙"}};
  }

  /// 找回用户名 step 2: the code gives the holder's username back.
  void check_recovery(const classroom& r, const std::string& code) {
    auto body = recovery_body(r);
    body["code"] = code;
    auto found = post("/api/v1/username-recovery", body);
    CAF_REQUIRE_EQUAL(found.status, 200u);
    CAF_CHECK_EQUAL(
      found.body["usernames"],
      nlohmann::json::array({r.holder_username.substr(0, 2) + "***"}));
  }

  /// A claimant on a held ID (acknowledging the duplicate) joins the
  /// existing claim: the number of claim rows does not change.
  void check_joins_claim(const std::string& id_number, const std::string& who) {
    auto before = claim_rows();
    auto r = register_person(c, {who}, id_number, true);
    CAF_CHECK_EQUAL(r.status, 201u);
    CAF_CHECK_EQUAL(claim_rows(), before);
  }

  int64_t claim_rows() {
    int64_t n = -1;
    in_storage(svc, [&](storage::connection& conn) {
      n = conn.driver()
            .exec("SELECT count(*) FROM claims", {})
            .rows[0]
            .integer(0);
    });
    return n;
  }

  /// Blind indexes not under the current index key of `keys`.
  int64_t stale_indexes(const crypto::key_set& keys) {
    auto shared = std::make_shared<const crypto::key_set>(keys);
    crypto::field_cipher cipher{shared};
    crypto::blind_index index{shared};
    int64_t n = -1;
    in_storage(svc, [&](storage::connection& conn) {
      n = storage::count_stale_indexes(conn, cipher, index);
    });
    return n;
  }

  /// Runs one batch of `sweep` in a transaction of the service.
  bool step(storage::reindex_sweep& sweep) {
    bool more = false;
    in_storage(svc,
               [&](storage::connection& conn) { more = sweep.step(conn); });
    return more;
  }

  /// Runs one batch of `sweep` in a transaction of the service.
  bool step(storage::reseal_sweep& sweep) {
    bool more = false;
    in_storage(svc,
               [&](storage::connection& conn) { more = sweep.step(conn); });
    return more;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(key_rotation_e2e, fixture)

CAF_TEST(lookups work before during and after an encryption key rotation) {
  // Before: data under key 1.
  auto r1 = make_classroom();
  auto case1 = open_case("a");
  check_conflict(r1.held_id, "late0001");
  check_me(r1);
  check_photo(case1);
  auto old_id = service_keys().current()->current_encryption_id();
  CAF_CHECK_EQUAL(stale(old_id), 0);
  // Step 1: a new current key in the file; the service takes it.
  auto keys = crypto::begin_encryption_rotation(key_file());
  auto new_id = keys.current_encryption_id();
  CAF_REQUIRE_NOT_EQUAL(new_id, old_id);
  CAF_REQUIRE(service_keys().reload_if_changed());
  CAF_CHECK_EQUAL(service_keys().current()->current_encryption_id(), new_id);
  auto stale_before = stale(new_id);
  CAF_CHECK_GREATER(stale_before, 0);
  // Data written now is under the new key.
  auto r2 = make_classroom();
  auto case2 = open_case("bb");
  CAF_CHECK_EQUAL(stale(new_id), stale_before);
  // Half rotated: a few batches of one row.
  crypto::field_cipher cipher{std::make_shared<const crypto::key_set>(keys)};
  storage::reseal_sweep sweep{cipher, 1};
  for (int i = 0; i < 3; ++i)
    CAF_REQUIRE(step(sweep));
  // Three old claims of room 1 are done, the rest of its data is not.
  CAF_CHECK_EQUAL(sweep.counts().resealed, 3);
  auto half = stale(new_id);
  CAF_CHECK(half > 0 && half < stale_before);
  check_conflict(r1.held_id, "late0002");
  check_conflict(r2.held_id, "late0003");
  check_me(r1);
  check_me(r2);
  check_assist(r1);
  check_photo(case1);
  check_photo(case2);
  // The rest of the sweep; nothing is left under the old key.
  while (step(sweep)) {
    // next batch
  }
  CAF_CHECK_EQUAL(sweep.counts().unreadable, 0);
  CAF_CHECK_EQUAL(sweep.counts().resealed, stale_before);
  CAF_CHECK_EQUAL(stale(new_id), 0);
  // Step 3: the old key leaves the file, and the service forgets it.
  CAF_CHECK_EQUAL(crypto::finish_encryption_rotation(key_file()), 1);
  CAF_REQUIRE(service_keys().reload_if_changed());
  auto now = service_keys().current();
  CAF_CHECK(now->encryption_key(old_id) == nullptr);
  CAF_CHECK_EQUAL(now->encryption_ids().size(), 1u);
  // After: everything still opens with the new key alone.
  check_conflict(r1.held_id, "late0004");
  check_conflict(r2.held_id, "late0005");
  check_me(r1);
  check_me(r2);
  check_assist(r2);
  check_photo(case1);
  check_photo(case2);
  auto inbox = get("/api/v1/inbox", r1.classmate_token);
  CAF_CHECK_EQUAL(inbox.body["items"][0]["requester_mobile"], "13800138000");
  auto r3 = make_classroom();
  check_conflict(r3.held_id, "late0006");
  check_assist(r3);
  CAF_CHECK_EQUAL(stale(new_id), 0);
}

CAF_TEST(a rotation without the sweep would lose data) {
  // The control for the test above: removing the old key before the sweep
  // makes the stored values unreadable, so the sweep is what keeps them.
  auto r1 = make_classroom();
  crypto::begin_encryption_rotation(key_file());
  crypto::finish_encryption_rotation(key_file());
  auto keys = crypto::load_key_file(key_file()); // the new key alone
  CAF_REQUIRE(service_keys().reload_if_changed());
  auto token = login(c, r1.holder_username);
  auto me = get("/api/v1/me", token);
  CAF_CHECK_NOT_EQUAL(me.body["mobile"], masked_mobile(r1.holder_mobile));
  crypto::field_cipher cipher{std::make_shared<const crypto::key_set>(keys)};
  storage::reseal_sweep sweep{cipher, 50};
  while (step(sweep)) {
    // next batch
  }
  CAF_CHECK_GREATER(sweep.counts().unreadable, 0);
}

CAF_TEST(lookups work before during and after a blind index key rotation) {
  // Before: every index under key 1.
  auto r1 = make_classroom();
  check_conflict(r1.held_id, "ilate001");
  check_assist(r1);
  auto old_index = service_keys().current()->index_key_id();
  CAF_CHECK_EQUAL(stale_indexes(*service_keys().current()), 0);
  // Step 1: a new index key, looked up but not written yet.
  crypto::begin_index_rotation(key_file());
  CAF_REQUIRE(service_keys().reload_if_changed());
  CAF_CHECK_EQUAL(service_keys().current()->index_ids().size(), 2u);
  CAF_CHECK_EQUAL(service_keys().current()->index_key_id(), old_index);
  auto r2 = make_classroom();
  check_conflict(r1.held_id, "ilate002");
  check_conflict(r2.held_id, "ilate003");
  // Codes sent now are still stored under the old key: a recovery code
  // and a binding code, to be used after the switch.
  auto recover1 = recovery_code(r1, 1);
  must_register(c, {"ibinder01"}, nth_resident_id(9101), false);
  auto binder = login(c, "ibinder01");
  auto bind_mobile_no = std::string{"13755550001"};
  CAF_CHECK_EQUAL(
    post("/api/v1/me/phone-binding/code", {{"mobile", bind_mobile_no}}, binder)
      .status,
    202u);
  auto bind_code = nth_code(bind_mobile_no, 1);
  // Step 2: the new key is current; nothing stored is under it yet.
  auto keys = crypto::switch_index_key(key_file());
  CAF_REQUIRE_NOT_EQUAL(keys.index_key_id(), old_index);
  CAF_REQUIRE(service_keys().reload_if_changed());
  CAF_CHECK_EQUAL(service_keys().current()->index_key_id(),
                  keys.index_key_id());
  auto stale_before = stale_indexes(keys);
  CAF_CHECK_GREATER(stale_before, 0);
  // The send limit counts the code sent under the old key.
  auto again = post("/api/v1/me/phone-binding/code",
                    {{"mobile", bind_mobile_no}}, binder);
  CAF_CHECK_EQUAL(again.status, 429u);
  // A registration of an ID whose claim is still under the old value is
  // refused as a conflict, or joins that claim: never a second claim row.
  check_conflict(r1.held_id, "ilate004");
  check_joins_claim(r2.held_id, "ijoin001");
  // New data is indexed under the new key.
  auto r3 = make_classroom();
  CAF_CHECK_EQUAL(stale_indexes(keys), stale_before);
  // Half reindexed: a few one-row batches (the oldest claims), so rows of
  // one classroom are under both keys.
  crypto::field_cipher cipher{std::make_shared<const crypto::key_set>(keys)};
  crypto::blind_index index{std::make_shared<const crypto::key_set>(keys)};
  storage::reindex_sweep sweep{cipher, index, 1};
  for (int i = 0; i < 3; ++i)
    CAF_REQUIRE(step(sweep));
  CAF_CHECK_EQUAL(sweep.counts().reindexed, 3);
  auto half = stale_indexes(keys);
  CAF_CHECK(half > 0 && half < stale_before);
  check_conflict(r1.held_id, "ilate005");
  check_conflict(r2.held_id, "ilate006");
  check_conflict(r3.held_id, "ilate007");
  check_joins_claim(r1.held_id, "ijoin002");
  check_me(r1);
  check_assist(r1); // the requester's claim is reindexed, its record not
  check_assist(r2);
  check_assist(r3);
  // The recovery code sent before the switch still works (mobile index
  // and digest under the old key, the holder's account half reindexed),
  // and so does the binding code.
  check_recovery(r1, recover1);
  auto bound = post("/api/v1/me/phone-binding",
                    {{"mobile", bind_mobile_no}, {"code", bind_code}}, binder);
  CAF_CHECK_EQUAL(bound.status, 200u);
  // The rest of the sweep; nothing is left under the old key.
  while (step(sweep)) {
    // next batch
  }
  CAF_CHECK_EQUAL(sweep.counts().unreadable, 0);
  CAF_CHECK_EQUAL(sweep.counts().conflicts, 0);
  CAF_CHECK_EQUAL(stale_indexes(keys), 0);
  // Step 3: the old index key leaves the file and the service.
  CAF_CHECK_EQUAL(crypto::finish_index_rotation(key_file()), 1);
  CAF_REQUIRE(service_keys().reload_if_changed());
  CAF_CHECK(service_keys().current()->index_key(old_index) == nullptr);
  CAF_CHECK_EQUAL(service_keys().current()->index_ids().size(), 1u);
  // After: every lookup works under the new key alone.
  check_conflict(r1.held_id, "ilate008");
  check_conflict(r2.held_id, "ilate009");
  check_conflict(r3.held_id, "ilate010");
  check_joins_claim(r3.held_id, "ijoin003");
  check_me(r2);
  check_assist(r2);
  check_recovery(r2, recovery_code(r2, 1));
  auto r4 = make_classroom();
  check_conflict(r4.held_id, "ilate011");
  check_assist(r4);
}

CAF_TEST(lookups under one key alone miss rows under the other) {
  // The control for the test above: without asking for the old value, a
  // switched service would not find the claims stored before the switch.
  auto r1 = make_classroom();
  auto before = claim_rows();
  crypto::begin_index_rotation(key_file());
  auto keys = crypto::switch_index_key(key_file());
  auto shared = std::make_shared<const crypto::key_set>(keys);
  crypto::field_cipher cipher{shared};
  crypto::blind_index index{shared};
  in_storage(svc, [&](storage::connection& conn) {
    auto rows = conn.driver().exec(
      "SELECT id, id_cipher FROM claims ORDER BY id LIMIT 1", {});
    CAF_REQUIRE_EQUAL(rows.rows.size(), 1u);
    auto plain = cipher.open(rows.rows[0].text(1), "claim.id_number");
    CAF_REQUIRE(plain);
    auto values = index.compute_all(crypto::id_index_domain, *plain);
    CAF_CHECK(!conn.claims().find(values.current));
    auto found = conn.claims().find_either(values.current, values.other);
    CAF_REQUIRE(found);
    CAF_CHECK_EQUAL(found->first, rows.rows[0].integer(0));
    CAF_CHECK(found->second == values.other);
  });
  CAF_CHECK_EQUAL(claim_rows(), before);
}

CAF_TEST(a second begin resumes an interrupted rotation) {
  auto first = crypto::begin_encryption_rotation(key_file());
  auto again = crypto::begin_encryption_rotation(key_file());
  CAF_CHECK_EQUAL(again.current_encryption_id(), first.current_encryption_id());
  CAF_CHECK_EQUAL(again.encryption_ids().size(), 2u);
}

CAF_TEST_FIXTURE_SCOPE_END()
