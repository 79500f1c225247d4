#define CAF_SUITE http.key_rotation_e2e
#include <caf/test/unit_test.hpp>

#include <memory>
#include <string>

#include "crypto/field_cipher.hpp"
#include "crypto/key_rotation.hpp"
#include "crypto/key_set.hpp"
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

CAF_TEST(a second begin resumes an interrupted rotation) {
  auto first = crypto::begin_encryption_rotation(key_file());
  auto again = crypto::begin_encryption_rotation(key_file());
  CAF_CHECK_EQUAL(again.current_encryption_id(), first.current_encryption_id());
  CAF_CHECK_EQUAL(again.encryption_ids().size(), 2u);
}

CAF_TEST_FIXTURE_SCOPE_END()
