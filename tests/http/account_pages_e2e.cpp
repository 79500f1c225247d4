#define CAF_SUITE http.account_pages_e2e
#include <caf/test/unit_test.hpp>

#include <chrono>
#include <set>

#include "tests/support/api_steps.hpp"
#include "tests/support/ws_client.hpp"

using namespace idclaim;
using namespace idclaim::testing;
namespace bh = boost::beast::http;

namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

struct fixture {
  test_service svc;
  http_client c = svc.client();

  json_reply get(const std::string& target, const std::string& token) {
    return call(c, bh::verb::get, target, nullptr, token);
  }

  json_reply put(const std::string& target, const nlohmann::json& body,
                 const std::string& token) {
    return call(c, bh::verb::put, target, body, token);
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

  /// The next account frame on `ws`, skipping inbox frames.
  static std::optional<nlohmann::json> next_account_frame(ws_client& ws) {
    while (auto frame = ws.next())
      if ((*frame)["type"] == "account")
        return frame;
    return std::nullopt;
  }

  /// A code that is not `code`.
  static std::string other_than(const std::string& code) {
    return code == "000000" ? "111111" : "000000";
  }

  /// Registers `username` on the `n`-th ID, logs in, returns the token.
  std::string member(const std::string& username, int n,
                     const std::string& mobile = "13912345678") {
    person p{username};
    p.mobile = mobile;
    must_register(c, p, nth_resident_id(n));
    return login(c, username);
  }
};

/// Milliseconds `f` took.
template <class F>
int64_t timed(F&& f) {
  auto start = steady_clock::now();
  f();
  return std::chrono::duration_cast<milliseconds>(steady_clock::now() - start)
    .count();
}

} // namespace

CAF_TEST_FIXTURE_SCOPE(account_pages_e2e, fixture)

// -- 修改用户名
// ------------------------------------------------------------------

CAF_TEST(the username changes when the password confirms and the name is free) {
  auto token = member("renamer01", 1);
  member("TakenName1", 2);
  auto change = [&](const std::string& name, const std::string& password) {
    return put("/api/v1/me/username",
               {{"new_username", name}, {"password", password}}, token);
  };
  auto wrong = change("renamed01", "Wrong-pass1");
  CAF_CHECK_EQUAL(wrong.status, 403u);
  CAF_CHECK_EQUAL(wrong.error_code(), "PASSWORD_WRONG");
  // Uniqueness ignores case.
  auto taken = change("takenNAME1", "Passw0rd-x1");
  CAF_CHECK_EQUAL(taken.status, 409u);
  CAF_CHECK_EQUAL(taken.error_code(), "USERNAME_TAKEN");
  CAF_CHECK_EQUAL(change("1bad", "Passw0rd-x1").error_code(),
                  "USERNAME_INVALID");
  auto done = change("Renamed01", "Passw0rd-x1");
  CAF_REQUIRE_EQUAL(done.status, 200u);
  CAF_CHECK_EQUAL(done.body["account"]["username"], "Renamed01");
  CAF_CHECK_EQUAL(get("/api/v1/me", token).body["username"].get<std::string>(),
                  "Renamed01");
  // The new name logs in (any case), the old one no longer does.
  CAF_CHECK(!login(c, "renamed01").empty());
  CAF_CHECK_EQUAL(post("/api/v1/sessions",
                       {{"username", "renamer01"}, {"password", "Passw0rd-x1"}})
                    .status,
                  401u);
}

// -- 修改密码
// --------------------------------------------------------------------

CAF_TEST(a password change ends the other sessions and closes their sockets) {
  auto current = member("changer01", 3);
  auto other = login(c, "changer01");
  ws_client other_ws{svc.port()};
  CAF_REQUIRE_EQUAL(other_ws.handshake("/api/v1/events?token=" + other), 101u);
  ws_client own_ws{svc.port()};
  CAF_REQUIRE_EQUAL(own_ws.handshake("/api/v1/events?token=" + current), 101u);
  read_first_frames(other_ws);
  read_first_frames(own_ws);
  auto change = [&](const std::string& old_pw, const std::string& new_pw) {
    return put("/api/v1/me/password",
               {{"old_password", old_pw}, {"new_password", new_pw}}, current);
  };
  CAF_CHECK_EQUAL(change("Wrong-pass1", "N3w-password").error_code(),
                  "PASSWORD_WRONG");
  CAF_CHECK_EQUAL(change("Passw0rd-x1", "short1").error_code(),
                  "PASSWORD_WEAK");
  // Refusals end nothing.
  CAF_CHECK_EQUAL(get("/api/v1/me", other).status, 200u);
  auto done = change("Passw0rd-x1", "N3w-password");
  CAF_REQUIRE_EQUAL(done.status, 200u);
  CAF_CHECK_EQUAL(done.body["ended_sessions"], 1);
  CAF_CHECK_EQUAL(get("/api/v1/me", other).status, 401u);
  CAF_CHECK_EQUAL(other_ws.wait_closed(), std::optional<int>{1000});
  // The calling session and its socket stay.
  CAF_CHECK_EQUAL(get("/api/v1/me", current).status, 200u);
  CAF_CHECK(!own_ws.next(milliseconds{200}).has_value());
  CAF_CHECK_EQUAL(count_rows(svc, "sessions"), 1);
  CAF_CHECK_EQUAL(post("/api/v1/sessions",
                       {{"username", "changer01"}, {"password", "Passw0rd-x1"}})
                    .status,
                  401u);
  CAF_CHECK(!login(c, "changer01", "N3w-password").empty());
}

// -- 查看个人信息 / 设置个人信息
// ---------------------------------------------------

CAF_TEST(the owner sees personal info in full and sets email and mobile) {
  auto id = nth_resident_id(4);
  auto token = member("infoowner1", 4);
  auto info = get("/api/v1/me/personal-info", token);
  CAF_REQUIRE_EQUAL(info.status, 200u);
  CAF_CHECK_EQUAL(info.body["name"], "王小明");
  CAF_CHECK_EQUAL(info.body["id_number"], id);
  CAF_CHECK_EQUAL(info.body["id_type"], "resident");
  CAF_CHECK_EQUAL(info.body["mobile"], "13912345678");
  CAF_CHECK_EQUAL(info.body["mobile_bound"], false);
  // GET /me keeps masking them.
  auto me = get("/api/v1/me", token);
  CAF_CHECK_EQUAL(me.body["mobile"], "139****5678");
  CAF_CHECK_NOT_EQUAL(me.body["id_number"], id);
  auto set = [&](const nlohmann::json& body) {
    return put("/api/v1/me/personal-info", body, token);
  };
  CAF_CHECK_EQUAL(set({{"email", "not-an-email"}}).error_code(),
                  "EMAIL_INVALID");
  CAF_CHECK_EQUAL(set({{"mobile", "123"}}).error_code(), "MOBILE_INVALID");
  auto changed
    = set({{"email", "wang@example.com"}, {"mobile", "13700001111"}});
  CAF_REQUIRE_EQUAL(changed.status, 200u);
  CAF_CHECK_EQUAL(changed.body["email"], "wang@example.com");
  CAF_CHECK_EQUAL(changed.body["mobile"], "13700001111");
  CAF_CHECK_EQUAL(
    get("/api/v1/me/personal-info", token).body["email"].get<std::string>(),
    "wang@example.com");
  CAF_CHECK(set({{"email", nullptr}}).body["email"].is_null());
  // Once bound, the mobile stays (unless sent unchanged).
  bind_mobile(svc, me.body["id"].get<int64_t>());
  auto refused = set({{"mobile", "13600002222"}});
  CAF_CHECK_EQUAL(refused.status, 409u);
  CAF_CHECK_EQUAL(refused.error_code(), "MOBILE_ALREADY_BOUND");
  CAF_CHECK_EQUAL(set({{"mobile", "13700001111"}}).status, 200u);
}

// -- 登录日志查询
// -----------------------------------------------------------------

CAF_TEST(the login log shows every attempt newest first in pages) {
  auto token = member("logged001", 5);
  for (int i = 0; i < 2; ++i)
    c.request(bh::verb::post, "/api/v1/sessions",
              R"({"username":"logged001","password":"Wrong-pass1"})", {});
  auto ok
    = c.request(bh::verb::post, "/api/v1/sessions",
                R"({"username":"logged001","password":"Passw0rd-x1"})", {});
  CAF_REQUIRE_EQUAL(ok.result_int(), 200u);
  auto log = get("/api/v1/me/login-log", token);
  CAF_REQUIRE_EQUAL(log.status, 200u);
  auto& items = log.body["items"];
  CAF_REQUIRE_EQUAL(items.size(), 4u); // with the fixture's first login
  CAF_CHECK_EQUAL(items[0]["success"], true);
  CAF_CHECK_EQUAL(items[0]["client"], "idclaim-test");
  CAF_CHECK_EQUAL(items[1]["success"], false);
  CAF_CHECK_EQUAL(items[1]["client"], "idclaim-test");
  CAF_CHECK_EQUAL(items[2]["success"], false);
  CAF_CHECK_EQUAL(items[3]["success"], true);
  CAF_CHECK_EQUAL(items[0]["ip"], "127.0.0.1");
  CAF_CHECK(items[0]["time"].get<std::string>().find("+08:00")
            != std::string::npos);
  CAF_CHECK(!log.body.contains("next"));
  // Paged: limit and the cursor in `next`.
  auto first = get("/api/v1/me/login-log?limit=3", token);
  CAF_REQUIRE_EQUAL(first.body["items"].size(), 3u);
  CAF_REQUIRE(first.body.contains("next"));
  auto rest = get("/api/v1/me/login-log?limit=3&before="
                    + std::to_string(first.body["next"].get<int64_t>()),
                  token);
  CAF_REQUIRE_EQUAL(rest.body["items"].size(), 1u);
  CAF_CHECK_EQUAL(rest.body["items"][0]["success"], true);
  for (auto bad : {"limit=0", "limit=101", "limit=ten", "before=-1"}) {
    auto r = get(std::string{"/api/v1/me/login-log?"} + bad, token);
    CAF_CHECK_EQUAL(r.status, 422u);
    CAF_CHECK_EQUAL(r.error_code(), "FIELD_TYPE");
  }
}

// -- 实名绑定
// ---------------------------------------------------------------------

CAF_TEST(a mobile is bound by its SMS code) {
  auto token = member("binder001", 6);
  auto mobile = std::string{"13811112222"};
  auto sent
    = post("/api/v1/me/phone-binding/code", {{"mobile", mobile}}, token);
  CAF_REQUIRE_EQUAL(sent.status, 202u);
  auto code = nth_code(mobile, 1);
  CAF_CHECK_EQUAL(code.size(), 6u);
  auto bind = [&](const std::string& m, const std::string& k) {
    return post("/api/v1/me/phone-binding", {{"mobile", m}, {"code", k}},
                token);
  };
  CAF_CHECK_EQUAL(bind(mobile, other_than(code)).error_code(),
                  "SMS_CODE_INVALID");
  // The code belongs to the mobile it was sent to.
  CAF_CHECK_EQUAL(bind("13899998888", code).error_code(), "SMS_CODE_INVALID");
  // Only a keyed digest of the code is stored.
  auto index = svc.service().context()->index->compute(
    crypto::mobile_index_domain, mobile);
  std::optional<storage::sms_code_row> stored;
  in_storage(svc, [&](storage::connection& conn) {
    stored = conn.sms_codes().live("bind", index, std::nullopt, 0);
  });
  CAF_REQUIRE(stored.has_value());
  CAF_CHECK_EQUAL(stored->code_digest.size(), 32u);
  CAF_CHECK_EQUAL(stored->code_digest.find(code), std::string::npos);
  CAF_CHECK_EQUAL(stored->tries, 1); // the wrong code above
  auto bound = bind(mobile, code);
  CAF_REQUIRE_EQUAL(bound.status, 200u);
  CAF_CHECK_EQUAL(bound.body["mobile_bound"], true);
  auto me = get("/api/v1/me", token);
  CAF_CHECK_EQUAL(me.body["mobile_bound"], true);
  CAF_CHECK_EQUAL(me.body["mobile"], "138****2222");
  CAF_CHECK_EQUAL(bind(mobile, code).error_code(), "MOBILE_ALREADY_BOUND");
  CAF_CHECK_EQUAL(
    post("/api/v1/me/phone-binding/code", {{"mobile", mobile}}, token)
      .error_code(),
    "MOBILE_ALREADY_BOUND");
}

CAF_TEST(binding a mobile pushes the masked mobile to the open pages) {
  auto token = member("livebind1", 16);
  auto mobile = std::string{"13811117777"};
  ws_client ws{svc.port()};
  CAF_REQUIRE_EQUAL(ws.handshake("/api/v1/events?token=" + token), 101u);
  auto first = next_account_frame(ws);
  CAF_REQUIRE(first.has_value());
  CAF_CHECK_EQUAL((*first)["status"], "active");
  CAF_CHECK_EQUAL((*first)["mobile"], "139****5678");
  CAF_CHECK_EQUAL((*first)["mobile_bound"], false);
  CAF_REQUIRE_EQUAL(
    post("/api/v1/me/phone-binding/code", {{"mobile", mobile}}, token).status,
    202u);
  CAF_REQUIRE_EQUAL(post("/api/v1/me/phone-binding",
                         {{"mobile", mobile}, {"code", nth_code(mobile, 1)}},
                         token)
                      .status,
                    200u);
  // Awaited (next_account_frame waits up to 5 s), never slept for.
  auto pushed = next_account_frame(ws);
  CAF_REQUIRE(pushed.has_value());
  CAF_CHECK_EQUAL((*pushed)["type"], "account");
  CAF_CHECK_EQUAL((*pushed)["status"], "active");
  CAF_CHECK_EQUAL((*pushed)["mobile"], "138****7777");
  CAF_CHECK_EQUAL((*pushed)["mobile_bound"], true);
  CAF_CHECK_EQUAL(pushed->dump().find(mobile), std::string::npos);
  // A socket opened afterwards gets the same state at once.
  ws_client later{svc.port()};
  CAF_REQUIRE_EQUAL(later.handshake("/api/v1/events?token=" + token), 101u);
  auto now = next_account_frame(later);
  CAF_REQUIRE(now.has_value());
  CAF_CHECK_EQUAL((*now)["mobile"], "138****7777");
  CAF_CHECK_EQUAL((*now)["mobile_bound"], true);
}

CAF_TEST(setting an unbound mobile pushes its masked form) {
  auto token = member("livemob01", 17);
  ws_client ws{svc.port()};
  CAF_REQUIRE_EQUAL(ws.handshake("/api/v1/events?token=" + token), 101u);
  CAF_REQUIRE(next_account_frame(ws).has_value());
  CAF_REQUIRE_EQUAL(
    put("/api/v1/me/personal-info", {{"mobile", "13811118888"}}, token).status,
    200u);
  auto pushed = next_account_frame(ws);
  CAF_REQUIRE(pushed.has_value());
  CAF_CHECK_EQUAL((*pushed)["mobile"], "138****8888");
  CAF_CHECK_EQUAL((*pushed)["mobile_bound"], false);
  // An email change leaves the account frame as it was: nothing is pushed.
  CAF_REQUIRE_EQUAL(
    put("/api/v1/me/personal-info", {{"email", "a@example.com"}}, token).status,
    200u);
  CAF_CHECK(!ws.next(milliseconds{200}).has_value());
}

CAF_TEST(a code expires after five minutes) {
  set_clock(c, "2026-03-02T09:00:00+08:00");
  auto token = member("expirer01", 7);
  auto mobile = std::string{"13811113333"};
  CAF_REQUIRE_EQUAL(
    post("/api/v1/me/phone-binding/code", {{"mobile", mobile}}, token).status,
    202u);
  auto code = nth_code(mobile, 1);
  advance_clock(c, 301);
  auto late = post("/api/v1/me/phone-binding",
                   {{"mobile", mobile}, {"code", code}}, token);
  CAF_CHECK_EQUAL(late.status, 422u);
  CAF_CHECK_EQUAL(late.error_code(), "SMS_CODE_INVALID");
  // A fresh code (the minute has passed) works within its five minutes.
  CAF_REQUIRE_EQUAL(
    post("/api/v1/me/phone-binding/code", {{"mobile", mobile}}, token).status,
    202u);
  auto fresh = nth_code(mobile, 2);
  advance_clock(c, 299);
  CAF_CHECK_EQUAL(post("/api/v1/me/phone-binding",
                       {{"mobile", mobile}, {"code", fresh}}, token)
                    .status,
                  200u);
}

CAF_TEST(five wrong tries kill a code) {
  auto token = member("guesser01", 8);
  auto mobile = std::string{"13811114444"};
  CAF_REQUIRE_EQUAL(
    post("/api/v1/me/phone-binding/code", {{"mobile", mobile}}, token).status,
    202u);
  auto code = nth_code(mobile, 1);
  for (int i = 0; i < 5; ++i)
    CAF_CHECK_EQUAL(post("/api/v1/me/phone-binding",
                         {{"mobile", mobile}, {"code", other_than(code)}},
                         token)
                      .error_code(),
                    "SMS_CODE_INVALID");
  auto right = post("/api/v1/me/phone-binding",
                    {{"mobile", mobile}, {"code", code}}, token);
  CAF_CHECK_EQUAL(right.status, 422u);
  CAF_CHECK_EQUAL(get("/api/v1/me", token).body["mobile_bound"].get<bool>(),
                  false);
}

CAF_TEST(codes are sent at most once a minute and ten times a day) {
  set_clock(c, "2026-03-03T08:00:00+08:00");
  auto token = member("sender001", 9);
  auto mobile = std::string{"13811115555"};
  auto send = [&] {
    return post("/api/v1/me/phone-binding/code", {{"mobile", mobile}}, token);
  };
  CAF_REQUIRE_EQUAL(send().status, 202u);
  advance_clock(c, 20);
  auto again = send();
  CAF_CHECK_EQUAL(again.status, 429u);
  CAF_CHECK_EQUAL(again.error_code(), "SMS_TOO_FREQUENT");
  CAF_CHECK_EQUAL(again.raw[bh::field::retry_after], "60");
  for (int i = 2; i <= 10; ++i) {
    advance_clock(c, 61);
    CAF_CHECK_EQUAL(send().status, 202u);
  }
  advance_clock(c, 61);
  auto eleventh = send();
  CAF_CHECK_EQUAL(eleventh.status, 429u);
  CAF_CHECK_EQUAL(eleventh.error_code(), "SMS_TOO_FREQUENT");
  // Until the Asia/Shanghai midnight: 08:00 + 20 s + 10 * 61 s passed (and
  // the few real seconds the test took, as the test clock runs).
  auto wait = std::stoll(std::string{eleventh.raw[bh::field::retry_after]});
  CAF_CHECK_LESS_OR_EQUAL(wait, 16 * 3600 - 20 - 10 * 61);
  CAF_CHECK_GREATER(wait, 16 * 3600 - 20 - 10 * 61 - 30);
  CAF_CHECK(eventually([&] { return sms_codes_to(svc, mobile).size() == 10; }));
  // A new day (and a new session: the old one expired meanwhile).
  set_clock(c, "2026-03-04T00:00:01+08:00");
  token = login(c, "sender001");
  CAF_CHECK_EQUAL(send().status, 202u);
}

// -- 找回用户名
// --------------------------------------------------------------------

CAF_TEST(
  usernames are recovered by ID and name and a code to the bound mobile) {
  auto id = nth_resident_id(10);
  auto token = member("abrecover1", 10, "13822226666");
  bind_mobile(svc, get("/api/v1/me", token).body["id"].get<int64_t>());
  nlohmann::json who{
    {"id_type", "resident"}, {"id_number", id}, {"name", "王小明"}};
  nlohmann::json stranger{{"id_type", "resident"},
                          {"id_number", nth_resident_id(11)},
                          {"name", "王小明"}};
  json_reply matched, unknown;
  auto matched_ms
    = timed([&] { matched = post("/api/v1/username-recovery/code", who); });
  auto unknown_ms = timed(
    [&] { unknown = post("/api/v1/username-recovery/code", stranger); });
  // The same status and the very same bytes, after at least the floor.
  CAF_CHECK_EQUAL(matched.status, 202u);
  CAF_CHECK_EQUAL(unknown.status, 202u);
  CAF_CHECK_EQUAL(matched.raw.body(), unknown.raw.body());
  auto floor
    = static_cast<int64_t>(svc.service().context()->settings.recovery_min_ms);
  CAF_CHECK_GREATER_OR_EQUAL(matched_ms, floor);
  CAF_CHECK_GREATER_OR_EQUAL(unknown_ms, floor);
  auto code = nth_code("13822226666", 1);
  auto with_code = [&](nlohmann::json body, const std::string& k) {
    body["code"] = k;
    return post("/api/v1/username-recovery", body);
  };
  CAF_CHECK_EQUAL(with_code(stranger, code).error_code(), "SMS_CODE_INVALID");
  auto wrong = with_code(who, other_than(code));
  CAF_CHECK_EQUAL(wrong.status, 422u);
  CAF_CHECK_EQUAL(wrong.error_code(), "SMS_CODE_INVALID");
  auto found = with_code(who, code);
  CAF_REQUIRE_EQUAL(found.status, 200u);
  CAF_CHECK_EQUAL(found.body["usernames"], nlohmann::json::array({"ab***"}));
  // Single use.
  CAF_CHECK_EQUAL(with_code(who, code).error_code(), "SMS_CODE_INVALID");
}

CAF_TEST(recovery sends nothing for a wrong name or an unbound mobile) {
  auto id = nth_resident_id(12);
  member("unbound001", 12, "13822227777");
  auto r = post("/api/v1/username-recovery/code",
                {{"id_number", id}, {"name", "王小明"}});
  CAF_CHECK_EQUAL(r.status, 202u);
  auto token = member("wrongname1", 13, "13822228888");
  bind_mobile(svc, get("/api/v1/me", token).body["id"].get<int64_t>());
  r = post("/api/v1/username-recovery/code",
           {{"id_number", nth_resident_id(13)}, {"name", "李四"}});
  CAF_CHECK_EQUAL(r.status, 202u);
  // A later send to a third party proves the SMS actor ran past both.
  auto probe = member("probe00001", 14, "13822229999");
  CAF_REQUIRE_EQUAL(
    post("/api/v1/me/phone-binding/code", {{"mobile", "13822229999"}}, probe)
      .status,
    202u);
  nth_code("13822229999", 1);
  CAF_CHECK(sms_codes_to(svc, "13822227777").empty());
  CAF_CHECK(sms_codes_to(svc, "13822228888").empty());
  CAF_CHECK_EQUAL(post("/api/v1/username-recovery/code",
                       {{"id_number", "123"}, {"name", "王小明"}})
                    .error_code(),
                  "ID_INVALID");
}

// -- API.md's restricted-access rule
// ------------------------------------------------

CAF_TEST(a restricted account reaches only what API.md allows) {
  auto id = nth_resident_id(15);
  must_register(c, {"holder0001"}, id);
  must_register(c, {"claimant01"}, id, true);
  auto token = login(c, "claimant01");
  CAF_REQUIRE_EQUAL(get("/api/v1/me", token).body["status"].get<std::string>(),
                    "restricted");
  CAF_CHECK_EQUAL(get("/api/v1/me", token).status, 200u);
  CAF_CHECK_EQUAL(get("/api/v1/me/personal-info", token).status, 200u);
  CAF_CHECK_EQUAL(get("/api/v1/reviews/mine", token).status, 200u);
  CAF_CHECK_EQUAL(get("/api/v1/assist-requests/quota", token).status, 200u);
  auto refused = [&](json_reply r) {
    return r.status == 403u && r.error_code() == "ACCOUNT_RESTRICTED";
  };
  CAF_CHECK(
    refused(put("/api/v1/me/personal-info", {{"email", "a@b.cn"}}, token)));
  CAF_CHECK(refused(
    put("/api/v1/me/username",
        {{"new_username", "claimant02"}, {"password", "Passw0rd-x1"}}, token)));
  CAF_CHECK(refused(
    put("/api/v1/me/password",
        {{"old_password", "Passw0rd-x1"}, {"new_password", "N3w-password"}},
        token)));
  CAF_CHECK(refused(get("/api/v1/me/login-log", token)));
  CAF_CHECK(refused(
    post("/api/v1/me/phone-binding/code", {{"mobile", "13800001111"}}, token)));
  CAF_CHECK(
    refused(post("/api/v1/me/phone-binding",
                 {{"mobile", "13800001111"}, {"code", "123456"}}, token)));
  CAF_CHECK(refused(get("/api/v1/inbox", token)));
  // Logging out is a sessions call.
  CAF_CHECK_EQUAL(
    call(c, bh::verb::delete_, "/api/v1/sessions/current", nullptr, token)
      .status,
    200u);
}

CAF_TEST_FIXTURE_SCOPE_END()

// -- login throttling (its own service: small limits, a short delay)
// -----------------

namespace {

void small_limits(config::settings& s) {
  s.login_window_seconds = 600;
  s.login_slow_after = 2;
  s.login_slow_ms = 300;
  s.login_lock_after = 4;
  s.login_ip_lock_after = 8;
}

} // namespace

CAF_TEST(failed logins are slowed then refused until the window passes) {
  test_service svc{small_limits};
  auto c = svc.client();
  must_register(c, {"victim0001"}, nth_resident_id(20));
  auto attempt = [&](const std::string& user, const std::string& password) {
    return call(c, bh::verb::post, "/api/v1/sessions",
                {{"username", user}, {"password", password}});
  };
  json_reply r;
  // Two failures are answered at once.
  for (int i = 0; i < 2; ++i)
    CAF_CHECK_LESS(timed([&] { r = attempt("victim0001", "Wrong-pass1"); }),
                   300);
  CAF_CHECK_EQUAL(r.error_code(), "BAD_CREDENTIALS");
  // Then every answer waits, right password or not.
  CAF_CHECK_GREATER_OR_EQUAL(
    timed([&] { r = attempt("victim0001", "Wrong-pass1"); }), 300);
  CAF_CHECK_EQUAL(r.error_code(), "BAD_CREDENTIALS");
  CAF_CHECK_GREATER_OR_EQUAL(
    timed([&] { r = attempt("victim0001", "Wrong-pass1"); }), 300);
  // Four failures: refused, even with the right password.
  r = attempt("victim0001", "Passw0rd-x1");
  CAF_CHECK_EQUAL(r.status, 429u);
  CAF_CHECK_EQUAL(r.error_code(), "RATE_LIMITED");
  CAF_CHECK_EQUAL(r.raw[bh::field::retry_after], "600");
  // The failures age out of the window.
  advance_clock(c, 601);
  r = attempt("victim0001", "Passw0rd-x1");
  CAF_REQUIRE_EQUAL(r.status, 200u);
  // The successful answer tells nothing of the failures before it.
  std::set<std::string> keys;
  for (auto& [k, v] : r.body.items())
    keys.insert(k);
  CAF_CHECK_EQUAL(keys, (std::set<std::string>{"account", "token"}));
  CAF_CHECK_EQUAL(r.body["account"].size(), 3u);
}

CAF_TEST(failures from one IP are refused whatever the username) {
  test_service svc{small_limits};
  auto c = svc.client();
  must_register(c, {"bystander1"}, nth_resident_id(21));
  // Unknown usernames count against the IP too (eight, spread over names).
  for (int i = 0; i < 8; ++i)
    call(c, bh::verb::post, "/api/v1/sessions",
         {{"username", "nobody" + std::to_string(1000 + i)},
          {"password", "Wrong-pass1"}});
  auto r = call(c, bh::verb::post, "/api/v1/sessions",
                {{"username", "bystander1"}, {"password", "Passw0rd-x1"}});
  CAF_CHECK_EQUAL(r.status, 429u);
  CAF_CHECK_EQUAL(r.error_code(), "RATE_LIMITED");
  advance_clock(c, 601);
  CAF_CHECK(!login(c, "bystander1").empty());
}

namespace {

/// Everything a client sees of a login answer.
struct login_answer {
  unsigned status = 0;
  std::string headers; ///< every header "name: value", in order
  nlohmann::json body;
};

/// Twelve logins of `username` with a wrong password; when `slow_ms` > 0,
/// checks that the answers from the fourth to the tenth waited that long.
std::vector<login_answer>
twelve_wrong(http_client& c, const std::string& username, int64_t slow_ms) {
  std::vector<login_answer> out;
  for (int i = 0; i < 12; ++i) {
    json_reply r;
    auto took = timed([&] {
      r = call(c, bh::verb::post, "/api/v1/sessions",
               {{"username", username}, {"password", "Wrong-pass1"}});
    });
    if (i >= 3 && i < 10)
      CAF_CHECK_GREATER_OR_EQUAL(took, slow_ms);
    login_answer a{r.status, {}, r.body};
    for (auto& field : r.raw)
      if (field.name() != bh::field::date)
        a.headers += std::string{field.name_string()} + ": "
                     + std::string{field.value()} + "\n";
    out.push_back(std::move(a));
  }
  return out;
}

} // namespace

CAF_TEST(a known and an unknown username are throttled alike) {
  test_service svc{[](config::settings& s) {
    s.login_window_seconds = 600;
    s.login_slow_after = 3;
    s.login_slow_ms = 50;
    s.login_lock_after = 10;
    s.login_ip_lock_after = 0; // off: all 24 failures come from one IP
  }};
  auto c = svc.client();
  must_register(c, {"existing01"}, nth_resident_id(22));
  // (The IP's failures slow the second series from its start; only the
  // per-name rules are compared here.)
  auto known = twelve_wrong(c, "existing01", 50);
  auto unknown = twelve_wrong(c, "nosuchuser1", 50);
  CAF_REQUIRE_EQUAL(known.size(), unknown.size());
  for (std::size_t i = 0; i < known.size(); ++i) {
    CAF_MESSAGE("attempt " << i + 1);
    CAF_CHECK_EQUAL(known[i].status, i < 10 ? 401u : 429u);
    CAF_CHECK_EQUAL(known[i].status, unknown[i].status);
    CAF_CHECK_EQUAL(known[i].headers, unknown[i].headers);
    CAF_CHECK_EQUAL(known[i].body, unknown[i].body);
  }
  CAF_CHECK_EQUAL(known.back().body["error"]["code"], "RATE_LIMITED");
  CAF_CHECK_NOT_EQUAL(known.back().headers.find("Retry-After: 600"),
                      std::string::npos);
  // The same name in another case is the same name.
  auto upper = call(c, bh::verb::post, "/api/v1/sessions",
                    {{"username", "NoSuchUser1"}, {"password", "x"}});
  CAF_CHECK_EQUAL(upper.status, 429u);
  // Both age out alike.
  advance_clock(c, 601);
  CAF_CHECK(!login(c, "existing01").empty());
  auto later = call(c, bh::verb::post, "/api/v1/sessions",
                    {{"username", "nosuchuser1"}, {"password", "Wrong-pass1"}});
  CAF_CHECK_EQUAL(later.status, 401u);
}

CAF_TEST(spraying usernames keeps the failure table bounded) {
  test_service svc{[](config::settings& s) {
    s.login_name_table = 8;
    s.login_slow_after = 0;
    s.login_ip_lock_after = 0;
  }};
  auto c = svc.client();
  auto& names = *svc.service().context()->login_names;
  for (int i = 0; i < 40; ++i) {
    auto r = call(
      c, bh::verb::post, "/api/v1/sessions",
      {{"username", "spray" + std::to_string(i)}, {"password", "Wrong-pass1"}});
    CAF_CHECK_EQUAL(r.status, 401u);
    CAF_CHECK_LESS_OR_EQUAL(names.size(), 8u);
  }
  CAF_CHECK_EQUAL(names.size(), 8u);
}
