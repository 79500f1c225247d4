#define CAF_SUITE http.registration_e2e
#include <caf/test/unit_test.hpp>

#include <atomic>
#include <map>
#include <mutex>

#include "tests/support/concurrently.hpp"
#include "tests/support/test_service.hpp"

using namespace idclaim::testing;
namespace bh = boost::beast::http;

namespace {

struct fixture {
  test_service svc;
};

/// Registers and returns the reply.
json_reply register_one(http_client& c, const nlohmann::json& body) {
  return call(c, bh::verb::post, "/api/v1/accounts", body);
}

} // namespace

CAF_TEST_FIXTURE_SCOPE(registration_e2e, fixture)

CAF_TEST(the three outcomes of SPEC section 4 and login) {
  auto c = svc.client();
  auto id = resident_id("11010519900307123");
  // Free ID: the account is the active holder.
  auto check = call(c, bh::verb::post, "/api/v1/id-checks",
                    {{"id_type", "resident"}, {"id_number", id}});
  CAF_CHECK_EQUAL(check.status, 200u);
  CAF_CHECK_EQUAL(check.body["state"], "free");
  auto first = register_one(c, registration_body("holder01", id));
  CAF_REQUIRE_EQUAL(first.status, 201u);
  CAF_CHECK_EQUAL(first.body["account"]["status"], "active");
  // Held ID, not acknowledged: case 2's refusal with its hints.
  check = call(c, bh::verb::post, "/api/v1/id-checks",
               {{"id_number", id}});
  CAF_CHECK_EQUAL(check.body["state"], "registered");
  auto refused = register_one(c, registration_body("claimant1", id));
  CAF_CHECK_EQUAL(refused.status, 409u);
  CAF_CHECK_EQUAL(refused.error_code(), "ID_ALREADY_REGISTERED");
  CAF_CHECK_EQUAL(refused.body["error"]["field"], "id_number");
  CAF_CHECK_EQUAL(refused.body["hints"],
                  nlohmann::json({"login", "recover_username"}));
  // Held ID, acknowledged: a restricted claimant.
  auto second = register_one(c, registration_body("claimant1", id, true));
  CAF_REQUIRE_EQUAL(second.status, 201u);
  CAF_CHECK_EQUAL(second.body["account"]["status"], "restricted");
  // Both can log in; /me shows masks only.
  auto login = call(c, bh::verb::post, "/api/v1/sessions",
                    {{"username", "CLAIMANT1"}, {"password", "Passw0rd-x1"}});
  CAF_REQUIRE_EQUAL(login.status, 200u);
  auto token = login.body["token"].get<std::string>();
  auto me = call(c, bh::verb::get, "/api/v1/me", nullptr, token);
  CAF_REQUIRE_EQUAL(me.status, 200u);
  CAF_CHECK_EQUAL(me.body["status"], "restricted");
  CAF_CHECK_EQUAL(me.body["id_number"],
                  id.substr(0, 1) + std::string(16, '*') + id.substr(17));
  CAF_CHECK_EQUAL(me.body["name"], "王**");
  CAF_CHECK_EQUAL(me.body["mobile"], "139****5678");
}

CAF_TEST(the 15 digit form of a held ID is the same claim) {
  auto c = svc.client();
  auto id18 = resident_id("11010519850307123");
  std::string id15 = id18.substr(0, 6) + id18.substr(8, 9);
  CAF_REQUIRE_EQUAL(register_one(c, registration_body("old15aa", id18)).status,
                    201u);
  auto again = register_one(c, registration_body("new15bb", id15));
  CAF_CHECK_EQUAL(again.error_code(), "ID_ALREADY_REGISTERED");
}

CAF_TEST(wrong password and unknown user answer alike) {
  auto c = svc.client();
  register_one(c, registration_body("knownuser", nth_resident_id(7)));
  auto wrong = call(c, bh::verb::post, "/api/v1/sessions",
                    {{"username", "knownuser"}, {"password", "Nope12345"}});
  auto unknown = call(c, bh::verb::post, "/api/v1/sessions",
                      {{"username", "nobody99"}, {"password", "Nope12345"}});
  CAF_CHECK_EQUAL(wrong.status, 401u);
  CAF_CHECK_EQUAL(unknown.status, 401u);
  CAF_CHECK_EQUAL(wrong.body, unknown.body);
}

CAF_TEST(50 concurrent registrations on one ID give one holder 20 times) {
  for (int round = 0; round < 20; ++round) {
    auto id = nth_resident_id(1000 + round);
    std::atomic<int> active{0};
    std::atomic<int> restricted{0};
    std::atomic<int> other{0};
    concurrently(50, [&](int i) {
      auto c = svc.client();
      auto name = "r" + std::to_string(round) + "u" + std::to_string(i) + "xx";
      auto r = register_one(c, registration_body(name, id, true));
      if (r.status != 201)
        other += 1;
      else if (r.body["account"]["status"] == "active")
        active += 1;
      else if (r.body["account"]["status"] == "restricted")
        restricted += 1;
    });
    CAF_CHECK_EQUAL(active.load(), 1);
    CAF_CHECK_EQUAL(restricted.load(), 49);
    CAF_CHECK_EQUAL(other.load(), 0);
  }
}

CAF_TEST(200 registrations on distinct IDs from 16 clients all succeed) {
  std::atomic<int> created{0};
  concurrently(16, [&](int client) {
    auto c = svc.client();
    for (int k = client; k < 200; k += 16) {
      auto r = register_one(
        c, registration_body("dist" + std::to_string(k) + "x",
                             nth_resident_id(5000 + k)));
      if (r.status == 201 && r.body["account"]["status"] == "active")
        created += 1;
    }
  });
  CAF_CHECK_EQUAL(created.load(), 200);
}

CAF_TEST(20 concurrent registrations of one username give one success) {
  std::atomic<int> created{0};
  std::atomic<int> taken{0};
  concurrently(20, [&](int i) {
    auto c = svc.client();
    // Case and width differ: the uniqueness key is NFKC + case fold.
    std::string name = i % 2 ? "SameName1" : "samename1";
    auto r = register_one(c, registration_body(name, nth_resident_id(9000 + i)));
    if (r.status == 201)
      created += 1;
    else if (r.error_code() == "USERNAME_TAKEN")
      taken += 1;
  });
  CAF_CHECK_EQUAL(created.load(), 1);
  CAF_CHECK_EQUAL(taken.load(), 19);
}

CAF_TEST_FIXTURE_SCOPE_END()
