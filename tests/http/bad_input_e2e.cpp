#define CAF_SUITE http.bad_input_e2e
#include <caf/test/unit_test.hpp>

#include "tests/support/test_service.hpp"

using namespace idclaim::testing;
namespace bh = boost::beast::http;

namespace {

struct fixture {
  test_service svc;
  http_client c = svc.client();

  /// Posts raw text as JSON to /api/v1/accounts.
  json_reply post_raw(const std::string& text) {
    auto res = c.request(bh::verb::post, "/api/v1/accounts", text);
    json_reply out;
    out.status = res.result_int();
    out.body = nlohmann::json::parse(res.body(), nullptr, false);
    return out;
  }

  /// Checks the API.md error shape and returns the reply.
  json_reply expect_error(const nlohmann::json& body, unsigned status,
                          const std::string& code,
                          const nlohmann::json& field) {
    auto r = call(c, bh::verb::post, "/api/v1/accounts", body);
    CAF_CHECK_EQUAL(r.status, status);
    CAF_CHECK_EQUAL(r.error_code(), code);
    CAF_CHECK_EQUAL(r.body["error"]["field"], field);
    CAF_CHECK(r.body["error"]["message"].is_string());
    return r;
  }
};

nlohmann::json valid() {
  return registration_body("gooduser1", resident_id("11010519900307123"));
}

nlohmann::json with(nlohmann::json body, const std::string& key,
                    nlohmann::json value) {
  body[key] = std::move(value);
  return body;
}

} // namespace

CAF_TEST_FIXTURE_SCOPE(bad_input_e2e, fixture)

CAF_TEST(malformed JSON is refused with BAD_JSON) {
  auto r = post_raw("{\"username\": ");
  CAF_CHECK_EQUAL(r.status, 400u);
  CAF_CHECK_EQUAL(r.body["error"]["code"], "BAD_JSON");
  r = post_raw("[1, 2]");
  CAF_CHECK_EQUAL(r.body["error"]["code"], "BAD_JSON");
}

CAF_TEST(each field error names its field) {
  expect_error(with(valid(), "username", 12345), 422, "FIELD_TYPE",
               "username");
  auto missing = valid();
  missing.erase("name");
  expect_error(missing, 422, "FIELD_MISSING", "name");
  expect_error(with(valid(), "username", "1abc"), 422, "USERNAME_INVALID",
               "username");
  expect_error(with(valid(), "password", "short1"), 422, "PASSWORD_WEAK",
               "password");
  expect_error(with(valid(), "name", "x"), 422, "NAME_INVALID", "name");
  expect_error(with(valid(), "mobile", "12345"), 422, "MOBILE_INVALID",
               "mobile");
  expect_error(with(valid(), "id_type", "library_card"), 422,
               "ID_TYPE_INVALID", "id_type");
  expect_error(with(valid(), "acknowledge_duplicate", "yes"), 422,
               "FIELD_TYPE", "acknowledge_duplicate");
}

CAF_TEST(an invalid ID number says which rule failed) {
  auto id = resident_id("11010519900307123");
  auto wrong_check = id.substr(0, 17) + (id[17] == '1' ? "2" : "1");
  auto r = expect_error(with(valid(), "id_number", wrong_check), 422,
                        "ID_INVALID", "id_number");
  CAF_CHECK_NOT_EQUAL(r.body["error"]["message"].get<std::string>().find(
                        "校验码"),
                      std::string::npos);
  r = expect_error(with(valid(), "id_number", id.substr(0, 16)), 422,
                   "ID_INVALID", "id_number");
  CAF_CHECK_NOT_EQUAL(
    r.body["error"]["message"].get<std::string>().find("位"),
    std::string::npos);
}

CAF_TEST(an oversized body is refused before it is read) {
  std::string huge(200 * 1024, 'a');
  auto res = c.request(bh::verb::post, "/api/v1/accounts",
                       "{\"username\":\"" + huge + "\"}");
  CAF_CHECK_EQUAL(res.result_int(), 413u);
  auto body = nlohmann::json::parse(res.body());
  CAF_CHECK_EQUAL(body["error"]["code"], "BODY_TOO_LARGE");
}

CAF_TEST(nothing invalid reaches storage and the server keeps serving) {
  post_raw("{not json");
  call(c, bh::verb::post, "/api/v1/accounts", with(valid(), "mobile", "1"));
  call(c, bh::verb::post, "/api/v1/accounts",
       with(valid(), "id_number", "123"));
  auto fresh = svc.client();
  CAF_CHECK_EQUAL(call(fresh, bh::verb::get, "/healthz").status, 200u);
  CAF_CHECK_EQUAL(count_rows(svc, "accounts"), 0);
  CAF_CHECK_EQUAL(count_rows(svc, "claims"), 0);
}

CAF_TEST(a cookie session needs the CSRF header to change state) {
  CAF_REQUIRE_EQUAL(call(c, bh::verb::post, "/api/v1/accounts", valid()).status,
                    201u);
  auto login = call(c, bh::verb::post, "/api/v1/sessions",
                    {{"username", "gooduser1"}, {"password", "Passw0rd-x1"}});
  auto cookie = std::string{login.raw[bh::field::set_cookie]};
  CAF_CHECK_NOT_EQUAL(cookie.find("HttpOnly"), std::string::npos);
  CAF_CHECK_NOT_EQUAL(cookie.find("SameSite=Strict"), std::string::npos);
  auto sid = cookie.substr(0, cookie.find(';'));
  auto res = c.request(bh::verb::delete_, "/api/v1/sessions/current", "",
                       {{"Cookie", sid}});
  CAF_CHECK_EQUAL(res.result_int(), 403u);
  CAF_CHECK_NOT_EQUAL(res.body().find("CSRF_CHECK_FAILED"), std::string::npos);
  // Reading with the cookie needs no header; logging out with it works.
  res = c.request(bh::verb::get, "/api/v1/me", "", {{"Cookie", sid}});
  CAF_CHECK_EQUAL(res.result_int(), 200u);
  res = c.request(bh::verb::delete_, "/api/v1/sessions/current", "",
                  {{"Cookie", sid}, {"X-Requested-With", "idclaim"}});
  CAF_CHECK_EQUAL(res.result_int(), 200u);
  res = c.request(bh::verb::get, "/api/v1/me", "", {{"Cookie", sid}});
  CAF_CHECK_EQUAL(res.result_int(), 401u);
}

CAF_TEST_FIXTURE_SCOPE_END()
