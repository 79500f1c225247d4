#define CAF_SUITE http.core_json

#include <caf/test/unit_test.hpp>

#include <string>
#include <variant>

#include <boost/beast/http/field.hpp>
#include <nlohmann/json.hpp>

#include "domain/errors.hpp"
#include "http/json_body.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

using namespace idclaim;
using json = nlohmann::json;
namespace bhttp = boost::beast::http;

namespace {

http::request make_request(std::string body, std::string content_type) {
  http::request req;
  if (!content_type.empty())
    req.msg.set(bhttp::field::content_type, content_type);
  req.msg.body() = std::move(body);
  return req;
}

/// The problem in `result`, or a problem with code `internal` and field
/// "<no problem>" when `result` holds a value.
template <class T>
problem problem_of(const std::variant<T, problem>& result) {
  if (auto p = std::get_if<problem>(&result))
    return *p;
  return problem{errc::internal, "<no problem>", {}};
}

std::string code_of(const problem& p) {
  return std::string{info(p.code).code};
}

} // namespace

CAF_TEST(json responses carry the type and no-store) {
  auto res = http::json_response(201, json{{"id", 7}, {"name", "张三"}});
  CAF_CHECK_EQUAL(res.result_int(), 201u);
  CAF_CHECK_EQUAL(std::string{res[bhttp::field::content_type]},
                  "application/json; charset=utf-8");
  CAF_CHECK_EQUAL(std::string{res[bhttp::field::cache_control]}, "no-store");
  CAF_CHECK_EQUAL(res.body(), R"({"id":7,"name":"张三"})");
  CAF_CHECK_EQUAL(std::string{res[bhttp::field::content_length]},
                  std::to_string(res.body().size()));
  // Invalid UTF-8 in a string is replaced instead of throwing.
  auto bad = http::json_response(200, json{{"x", std::string{"\xff"}}});
  CAF_CHECK_EQUAL(bad.body(), "{\"x\":\"\xEF\xBF\xBD\"}");
}

CAF_TEST(error bodies have exactly code message and field) {
  auto body = http::error_body(make_problem(errc::not_found));
  json expected = {{"error",
                    {{"code", "NOT_FOUND"},
                     {"message", std::string{info(errc::not_found).message}},
                     {"field", nullptr}}}};
  CAF_CHECK_EQUAL(body.dump(), expected.dump());
  auto with_field =
    http::error_body(make_problem(errc::id_invalid, "id_number", "校验位错误"));
  CAF_CHECK_EQUAL(with_field["error"]["field"], "id_number");
  CAF_CHECK_EQUAL(with_field["error"]["message"], "校验位错误");
  CAF_CHECK_EQUAL(with_field["error"]["code"], "ID_INVALID");
  CAF_CHECK_EQUAL(with_field.size(), 1u);
  CAF_CHECK_EQUAL(with_field["error"].size(), 3u);
}

CAF_TEST(error responses take the status from the table and merge extras) {
  json extra = {{"hints", {"login", "recover_username"}},
                {"error", "ignored"}};
  auto res =
    http::error_response(make_problem(errc::id_already_registered), extra);
  CAF_CHECK_EQUAL(res.result_int(), 409u);
  CAF_CHECK_EQUAL(std::string{res[bhttp::field::content_type]},
                  "application/json; charset=utf-8");
  auto body = json::parse(res.body());
  CAF_CHECK_EQUAL(body.size(), 2u);
  CAF_CHECK_EQUAL(body["error"]["code"], "ID_ALREADY_REGISTERED");
  CAF_CHECK_EQUAL(body["hints"].dump(), R"(["login","recover_username"])");
  CAF_CHECK_EQUAL(http::error_response(make_problem(errc::internal))
                    .result_int(),
                  500u);
  CAF_CHECK_EQUAL(http::error_response(make_problem(errc::body_too_large))
                    .result_int(),
                  413u);
}

CAF_TEST(json objects parse) {
  auto ok = http::parse_json_object(
    make_request(R"({"username":"alice","n":1})", "application/json"));
  CAF_REQUIRE(std::holds_alternative<json>(ok));
  CAF_CHECK_EQUAL(std::get<json>(ok)["username"], "alice");
  auto charset = http::parse_json_object(
    make_request("{}", "Application/JSON; charset=\"UTF-8\""));
  CAF_CHECK(std::holds_alternative<json>(charset));
}

CAF_TEST(deeply nested json within the body limit is harmless) {
  // 64 KiB of brackets: parsing and destroying must not recurse per level.
  std::string body = "{\"a\":" + std::string(32 * 1024, '[')
                     + std::string(32 * 1024, ']') + "}";
  auto parsed = http::parse_json_object(make_request(body, "application/json"));
  CAF_CHECK(std::holds_alternative<json>(parsed));
  auto unbalanced = http::parse_json_object(
    make_request(std::string(64 * 1024, '['), "application/json"));
  CAF_CHECK_EQUAL(code_of(problem_of(unbalanced)), "BAD_JSON");
}

CAF_TEST(bad json bodies are refused) {
  auto code = [](std::string body, std::string type) {
    return code_of(
      problem_of(http::parse_json_object(make_request(body, type))));
  };
  CAF_CHECK_EQUAL(code("{\"a\":", "application/json"), "BAD_JSON");
  CAF_CHECK_EQUAL(code("[1,2]", "application/json"), "BAD_JSON");
  CAF_CHECK_EQUAL(code("\"text\"", "application/json"), "BAD_JSON");
  CAF_CHECK_EQUAL(code("{} {}", "application/json"), "BAD_JSON");
  CAF_CHECK_EQUAL(code("{\"a\":\"\xff\"}", "application/json"), "BAD_JSON");
  CAF_CHECK_EQUAL(code("", "application/json"), "BAD_JSON");
  CAF_CHECK_EQUAL(code("", ""), "BAD_JSON");
  CAF_CHECK_EQUAL(code("{}", "text/plain"), "UNSUPPORTED_MEDIA_TYPE");
  CAF_CHECK_EQUAL(code("{}", ""), "UNSUPPORTED_MEDIA_TYPE");
  CAF_CHECK_EQUAL(code("{}", "application/json-seq"),
                  "UNSUPPORTED_MEDIA_TYPE");
  CAF_CHECK_EQUAL(code("{}", "application/json; charset=latin1"),
                  "UNSUPPORTED_MEDIA_TYPE");
  CAF_CHECK_EQUAL(info(errc::unsupported_media_type).http_status, 415);
}

CAF_TEST(required strings) {
  auto obj = json::parse(
    R"({"name":"张三","empty":"","null":null,"num":3,"list":["a"]})");
  auto name = http::required_string(obj, "name");
  CAF_REQUIRE(std::holds_alternative<std::string>(name));
  CAF_CHECK_EQUAL(std::get<std::string>(name), "张三");
  for (auto field : {"missing", "empty", "null"}) {
    auto p = problem_of(http::required_string(obj, field));
    CAF_CHECK_EQUAL(code_of(p), "FIELD_MISSING");
    CAF_CHECK_EQUAL(p.field, field);
  }
  auto custom = problem_of(
    http::required_string(obj, "missing", errc::id_invalid));
  CAF_CHECK_EQUAL(code_of(custom), "ID_INVALID");
  CAF_CHECK_EQUAL(custom.field, "missing");
  for (auto field : {"num", "list"}) {
    auto p = problem_of(http::required_string(obj, field));
    CAF_CHECK_EQUAL(code_of(p), "FIELD_TYPE");
    CAF_CHECK_EQUAL(p.field, field);
    CAF_CHECK_EQUAL(info(p.code).http_status, 422);
  }
}

CAF_TEST(optional strings and booleans) {
  auto obj = json::parse(
    R"({"email":"a@b.cn","none":null,"yes":true,"no":false,"str":"true"})");
  auto email = http::optional_string(obj, "email");
  CAF_REQUIRE(std::holds_alternative<std::optional<std::string>>(email));
  CAF_CHECK_EQUAL(std::get<std::optional<std::string>>(email).value_or("?"),
                  "a@b.cn");
  auto none = http::optional_string(obj, "none");
  CAF_REQUIRE(std::holds_alternative<std::optional<std::string>>(none));
  CAF_CHECK(!std::get<std::optional<std::string>>(none));
  auto absent = http::optional_string(obj, "absent");
  CAF_REQUIRE(std::holds_alternative<std::optional<std::string>>(absent));
  CAF_CHECK(!std::get<std::optional<std::string>>(absent));
  auto wrong = problem_of(http::optional_string(obj, "yes"));
  CAF_CHECK_EQUAL(code_of(wrong), "FIELD_TYPE");
  CAF_CHECK_EQUAL(wrong.field, "yes");
  auto yes = http::optional_bool(obj, "yes");
  CAF_REQUIRE(std::holds_alternative<std::optional<bool>>(yes));
  CAF_CHECK_EQUAL(std::get<std::optional<bool>>(yes).value_or(false), true);
  auto no = http::optional_bool(obj, "no");
  CAF_REQUIRE(std::holds_alternative<std::optional<bool>>(no));
  CAF_CHECK_EQUAL(std::get<std::optional<bool>>(no).value_or(true), false);
  auto missing = http::optional_bool(obj, "none");
  CAF_REQUIRE(std::holds_alternative<std::optional<bool>>(missing));
  CAF_CHECK(!std::get<std::optional<bool>>(missing));
  auto text = problem_of(http::optional_bool(obj, "str"));
  CAF_CHECK_EQUAL(code_of(text), "FIELD_TYPE");
  CAF_CHECK_EQUAL(text.field, "str");
}
