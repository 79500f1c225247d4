#define CAF_SUITE http.keys_rotate_cmd
#include <caf/test/unit_test.hpp>

#include <string>
#include <vector>

#include "app/commands.hpp"
#include "crypto/key_set.hpp"
#include "tests/support/api_steps.hpp"

using namespace idclaim;
using namespace idclaim::testing;
namespace bh = boost::beast::http;

CAF_TEST(keys rotate runs against a serving service) {
  test_service svc;
  auto c = svc.client();
  auto id = nth_resident_id(5001);
  must_register(c, {"holder5001"}, id, false);
  auto& s = svc.service().context()->settings;
  auto path = s.effective_key_file();
  auto before = crypto::load_key_file(path);
  // The same options the service was started with; a short request
  // timeout keeps the command's reload wait at about 2 s.
  std::vector<std::string> args{"--data-dir", s.data_dir,
                                "--request-timeout-ms", "1"};
  if (!s.key_file.empty())
    args.insert(args.end(), {"--key-file", s.key_file});
  if (!s.database.empty())
    args.insert(args.end(), {"--database", s.database});
  CAF_REQUIRE_EQUAL(app::run_keys_rotate(args), 0);
  // The file holds the new key only.
  auto after = crypto::load_key_file(path);
  CAF_CHECK_EQUAL(after.encryption_ids().size(), 1u);
  CAF_CHECK_NOT_EQUAL(after.current_encryption_id(),
                      before.current_encryption_id());
  CAF_CHECK(after.encryption_key(before.current_encryption_id()) == nullptr);
  // The blind-index key was rotated too, and the old one is gone.
  CAF_CHECK(after.index_ids().size() == 1u);
  CAF_CHECK_NOT_EQUAL(after.index_key_id(), before.index_key_id());
  CAF_CHECK(after.index_key(before.index_key_id()) == nullptr);
  // The service follows the file (it would within a second by itself).
  svc.service().context()->cipher->keys()->reload_if_changed();
  CAF_CHECK_EQUAL(svc.service().context()->cipher->current_key_id(),
                  after.current_encryption_id());
  // What was stored before opens with the new key alone.
  auto token = login(c, "holder5001");
  auto me = call(c, bh::verb::get, "/api/v1/me", nullptr, token);
  CAF_REQUIRE_EQUAL(me.status, 200u);
  CAF_CHECK_EQUAL(me.body["mobile"], "139****5678");
  CAF_CHECK_EQUAL(me.body["id_number"],
                  id.substr(0, 1) + std::string(16, '*') + id.substr(17));
  auto refused = register_person(c, {"claimer5001"}, id, false);
  CAF_CHECK_EQUAL(refused.error_code(), "ID_ALREADY_REGISTERED");
  // Running it again rotates again (no interrupted rotation to resume).
  CAF_REQUIRE_EQUAL(app::run_keys_rotate(args), 0);
  CAF_CHECK_EQUAL(crypto::load_key_file(path).encryption_ids().size(), 1u);
  CAF_CHECK_EQUAL(crypto::load_key_file(path).index_ids().size(), 1u);
  svc.service().context()->cipher->keys()->reload_if_changed();
  refused = register_person(c, {"claimer5002"}, id, false);
  CAF_CHECK_EQUAL(refused.error_code(), "ID_ALREADY_REGISTERED");
}
