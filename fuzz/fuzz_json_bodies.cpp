// Fuzzes the JSON request decoding of every endpoint. The input is a request
// body sent as application/json. It goes through parse_json_object and then
// through the field reading and validation of every body shape in API.md,
// as the handlers in http/api_*.cpp do it (field_reader, read_id_input and
// the domain parsers), and every problem is rendered as the error response.
// The handlers themselves need a running service, so the shapes are
// repeated here; a new endpoint adds its shape to `shapes` below.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include <boost/beast/http/field.hpp>
#include <nlohmann/json.hpp>
#include <sodium.h>

#include "crypto/blind_index.hpp"
#include "crypto/key_set.hpp"
#include "domain/clock.hpp"
#include "domain/fields.hpp"
#include "domain/id_number.hpp"
#include "domain/masking.hpp"
#include "domain/shanghai_time.hpp"
#include "fuzz/fuzz_support.hpp"
#include "http/api_context.hpp"
#include "http/field_reader.hpp"
#include "http/id_input.hpp"
#include "http/json_body.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

using namespace idclaim;
using namespace idclaim::http;

namespace {

/// Every field name that an API.md request body uses.
constexpr std::string_view field_names[] = {
  "username",
  "password",
  "name",
  "id_type",
  "id_number",
  "mobile",
  "email",
  "acknowledge_duplicate",
  "classmate_name",
  "classmate_mobile",
  "own_mobile",
  "reason",
  "new_username",
  "old_password",
  "new_password",
  "code",
  "set",
  "advance_seconds",
};

/// 2026-06-01T04:00:00Z, i.e. noon in Shanghai on fuzz::today.
class fixed_clock final : public idclaim::clock {
public:
  time_point now() const override {
    return time_point{std::chrono::seconds{1780286400}};
  }
};

/// What read_id_input needs: a clock and a blind index (zero keys).
const api_context& context() {
  static const api_context_ptr ctx = [] {
    auto ctx = std::make_shared<api_context>();
    ctx->time = std::make_shared<fixed_clock>();
    auto keys = std::make_shared<crypto::key_set>(1, crypto::secret_key{}, 1,
                                                  crypto::secret_key{});
    ctx->index = std::make_shared<crypto::blind_index>(keys);
    return ctx;
  }();
  return *ctx;
}

/// Renders `p` as the handlers would and checks the error shape.
void render(const problem& p) {
  auto res = error_response(p);
  auto body = nlohmann::json::parse(res.body(), nullptr, false);
  fuzz::require(body.is_object() && body["error"]["code"].is_string(),
                "error response is not {error: {code}}");
  fuzz::require(res.result_int() >= 400, "error response below 400");
}

/// Ends a body shape: renders the first problem, if any.
void finish(const field_reader& fields) {
  if (!fields.ok())
    render(fields.error());
}

// -- the body shapes ---------------------------------------------------------

// POST /api/v1/id-checks {id_type, id_number}
void id_check(const nlohmann::json& body) {
  field_reader fields{body};
  auto input = read_id_input(context(), fields);
  if (fields.ok()) {
    fuzz::require(input.claim_key.size() == crypto::blind_index::size,
                  "claim key is not a blind index");
    (void)domain::mask_id(input.id.number);
  }
  finish(fields);
}

// POST /api/v1/accounts {username, password, name, id_type, id_number,
// mobile, email?, acknowledge_duplicate?} (read_registration)
void account(const nlohmann::json& body) {
  field_reader fields{body};
  auto username = fields.take(domain::parse_username(fields.text("username")));
  auto raw_password = fields.text("password");
  if (fields.ok())
    (void)fields.take(domain::parse_password(raw_password, username.text));
  auto name = fields.take(domain::parse_name(fields.text("name")));
  (void)read_id_input(context(), fields);
  auto mobile = fields.take(domain::parse_mobile(fields.text("mobile")));
  auto email = fields.optional_text("email");
  if (email && !email->empty())
    email = fields.take(domain::parse_email(*email));
  (void)fields.flag("acknowledge_duplicate");
  if (fields.ok()) {
    (void)domain::mask_name(name);
    (void)domain::mask_mobile(mobile);
  }
  finish(fields);
}

// POST /api/v1/sessions {username, password}
void session(const nlohmann::json& body) {
  field_reader fields{body};
  auto username = fields.text("username");
  (void)domain::normalize_password(fields.text("password"));
  (void)domain::username_key(username);
  finish(fields);
}

// PUT /api/v1/me/username {new_username, password}
void change_username(const nlohmann::json& body) {
  field_reader fields{body};
  (void)fields.take(domain::parse_username(fields.text("new_username")),
                    "new_username");
  (void)domain::normalize_password(fields.text("password"));
  finish(fields);
}

// PUT /api/v1/me/password {old_password, new_password}
void change_password(const nlohmann::json& body) {
  field_reader fields{body};
  (void)domain::normalize_password(fields.text("old_password"));
  auto fresh = fields.text("new_password");
  if (fields.ok())
    (void)fields.take(domain::parse_password(fresh, "fuzz_user"),
                      "new_password");
  finish(fields);
}

// PUT /api/v1/me/personal-info {email?, mobile?}
void personal_info(const nlohmann::json& body) {
  field_reader fields{body};
  if (auto email = fields.optional_text("email"); email && !email->empty())
    (void)fields.take(domain::parse_email(*email));
  if (auto mobile = fields.optional_text("mobile"))
    (void)fields.take(domain::parse_mobile(*mobile));
  finish(fields);
}

// POST /api/v1/me/phone-binding/code {mobile} and .../phone-binding
// {mobile, code}
void phone_binding(const nlohmann::json& body) {
  field_reader fields{body};
  (void)fields.take(domain::parse_mobile(fields.text("mobile")));
  (void)fields.text("code");
  finish(fields);
}

// POST /api/v1/username-recovery/code {id_type, id_number, name} and
// .../username-recovery {..., code}
void username_recovery(const nlohmann::json& body) {
  field_reader fields{body};
  (void)read_id_input(context(), fields);
  (void)fields.take(domain::parse_name(fields.text("name")));
  (void)fields.text("code");
  finish(fields);
}

// POST /api/v1/assist-requests {classmate_name, classmate_mobile,
// own_mobile}; the shared rules report the body's field names
void assist_request(const nlohmann::json& body) {
  field_reader fields{body};
  (void)fields.take(domain::parse_name(fields.text("classmate_name")),
                    "classmate_name");
  (void)fields.take(domain::parse_mobile(fields.text("classmate_mobile")),
                    "classmate_mobile");
  (void)fields.take(domain::parse_mobile(fields.text("own_mobile")),
                    "own_mobile");
  if (!fields.ok()) {
    auto& field = fields.error().field;
    fuzz::require(field == "classmate_name" || field == "classmate_mobile"
                    || field == "own_mobile",
                  "assist problem names another field");
  }
  finish(fields);
}

// POST /api/v1/admin/reviews/{id}/reject {reason?}
void review_reject(const nlohmann::json& body) {
  field_reader fields{body};
  (void)fields.take(
    domain::parse_reason(fields.optional_text("reason").value_or("")));
  finish(fields);
}

// POST /api/v1/test/clock {set} or {advance_seconds} (set_test_clock)
void test_clock(const nlohmann::json& body) {
  adjustable_clock clock;
  field_reader fields{body};
  if (body.contains("set")) {
    auto when = domain::parse_rfc3339(fields.text("set"));
    if (!fields.ok())
      return finish(fields);
    if (!when)
      return render(make_problem(errc::field_type, "set"));
    clock.set(*when);
  } else if (body.contains("advance_seconds")) {
    auto& v = body["advance_seconds"];
    if (!v.is_number_integer())
      return render(make_problem(errc::field_type, "advance_seconds"));
    clock.advance(std::chrono::seconds{v.get<std::int64_t>()});
  } else {
    return render(make_problem(errc::field_missing, "set"));
  }
  (void)domain::format_rfc3339(clock.now());
}

using shape = void (*)(const nlohmann::json&);

constexpr shape shapes[] = {
  id_check,        account,       session,       change_username,
  change_password, personal_info, phone_binding, username_recovery,
  assist_request,  review_reject, test_clock,
};

// -- every field, every reader -----------------------------------------------

/// Reads every field name with every reader, whatever its JSON type, and
/// feeds every string member to every domain parser.
void every_field(const nlohmann::json& body) {
  for (auto name : field_names) {
    for (auto code : {errc::field_missing, errc::bad_credentials}) {
      auto read = required_string(body, name, code);
      if (auto p = std::get_if<problem>(&read))
        fuzz::require(p->field == name, "problem names another field");
    }
    (void)optional_string(body, name);
    (void)optional_bool(body, name);
    field_reader fields{body};
    (void)fields.text(name);
    (void)fields.optional_text(name);
    (void)fields.flag(name, true);
    finish(fields);
  }
  for (auto& [key, value] : body.items()) {
    if (!value.is_string())
      continue;
    auto& text = value.get_ref<const std::string&>();
    (void)domain::parse_username(text);
    (void)domain::username_key(text);
    (void)domain::parse_password(text, key);
    (void)domain::normalize_password(text);
    (void)domain::parse_name(text);
    (void)domain::parse_mobile(text);
    (void)domain::parse_email(text);
    (void)domain::parse_reason(text);
    (void)domain::parse_school(text);
    (void)domain::parse_class_name(text);
    (void)domain::parse_id_type(text);
    (void)domain::parse_rfc3339(text);
  }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  return sodium_init() < 0 ? 1 : 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  request req;
  req.msg.set(boost::beast::http::field::content_type,
              "application/json; charset=utf-8");
  req.msg.body().assign(fuzz::as_text(data, size));
  auto parsed = parse_json_object(req);
  if (auto p = std::get_if<problem>(&parsed)) {
    fuzz::require(p->code == errc::bad_json, "JSON body refused, not BAD_JSON");
    render(*p);
    return 0;
  }
  auto& body = std::get<nlohmann::json>(parsed);
  fuzz::require(body.is_object(), "parse_json_object gave a non-object");
  for (auto fn : shapes)
    fn(body);
  every_field(body);
  return 0;
}
