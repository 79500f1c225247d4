#define CAF_SUITE http.assist_e2e
#include <caf/test/unit_test.hpp>

#include <atomic>
#include <map>
#include <mutex>

#include "tests/support/classroom.hpp"
#include "tests/support/concurrently.hpp"
#include "tests/support/images.hpp"
#include "tests/support/metrics_text.hpp"

using namespace idclaim;
using namespace idclaim::testing;
namespace bh = boost::beast::http;

namespace {

struct fixture {
  test_service svc;
  http_client c = svc.client();
  std::string operator_token = staff_token(svc, c, "operator", "operator01");
  int rooms = 0;

  classroom make_classroom() {
    return testing::make_classroom(svc, c, operator_token, ++rooms);
  }

  json_reply ask(const classroom& r, const std::string& name,
                 const std::string& mobile_number,
                 const std::string& own = "13700001234") {
    return ask_classmate(c, r, name, mobile_number, own);
  }

  json_reply get(const std::string& target, const std::string& token) {
    return call(c, bh::verb::get, target, nullptr, token);
  }

  json_reply post(const std::string& target, const std::string& token) {
    return call(c, bh::verb::post, target, nlohmann::json::object(), token);
  }

  int64_t inbox_item(const classroom& r) {
    return classmate_inbox_item(c, r);
  }

  int64_t used_today(const classroom& r) {
    return get("/api/v1/assist-requests/quota", r.requester_token)
      .body["used"]
      .get<int64_t>();
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(assist_e2e, fixture)

CAF_TEST(the seed flow from request to approval) {
  set_clock(c, "2014-10-31T12:06:00+08:00");
  auto r = make_classroom();
  auto sent = ask(r, r.classmate_name, r.classmate_mobile, "13800138000");
  CAF_REQUIRE_EQUAL(sent.status, 201u);
  CAF_CHECK_EQUAL(sent.body["request"]["state"], "pending");
  CAF_CHECK_EQUAL(sent.body["request"]["sent_at"], "2014-10-31T12:06:00+08:00");
  CAF_CHECK_EQUAL(sent.body["request"]["expires_at"],
                  "2014-11-03T12:06:00+08:00");
  CAF_CHECK_EQUAL(sent.body["remaining"], 4);
  // The classmate logs in and finds it in the inbox: 收件箱(1).
  auto inbox = get("/api/v1/inbox", r.classmate_token);
  CAF_CHECK_EQUAL(inbox.body["unread"], 1);
  auto& item = inbox.body["items"][0];
  CAF_CHECK_EQUAL(item["kind"], "assist_request");
  CAF_CHECK_EQUAL(item["requester"], "李**");
  CAF_CHECK_EQUAL(item["requester_mobile"], "13800138000");
  CAF_CHECK_EQUAL(item["sent_at"], "2014-10-31T12:06:00+08:00");
  CAF_CHECK_EQUAL(item["state"], "pending");
  auto id = item["id"].get<int64_t>();
  set_clock(c, "2014-10-31T12:29:00+08:00");
  auto url = "/api/v1/inbox/" + std::to_string(id);
  auto approved = post(url + "/approve", r.classmate_token);
  CAF_REQUIRE_EQUAL(approved.status, 200u);
  CAF_CHECK_EQUAL(approved.body["result"], "证件重复协助审核通过");
  CAF_CHECK_EQUAL(status_of(svc, r.requester), "active");
  CAF_CHECK_EQUAL(status_of(svc, r.holder), "cancelled");
  // The detail view of the seed: 请求发送时间, 请求处理时间, 求助者, 处理结果.
  auto detail = get(url, r.classmate_token);
  CAF_CHECK_EQUAL(detail.body["sent_at"], "2014-10-31T12:06:00+08:00");
  CAF_CHECK_EQUAL(detail.body["processed_at"], "2014-10-31T12:29:00+08:00");
  CAF_CHECK_EQUAL(detail.body["requester"], "李**");
  CAF_CHECK_EQUAL(detail.body["result"], "证件重复协助审核通过");
  auto after = get("/api/v1/inbox", r.classmate_token);
  CAF_CHECK_EQUAL(after.body["unread"], 0);
  auto mine = get("/api/v1/assist-requests/mine", r.requester_token);
  CAF_CHECK_EQUAL(mine.body["items"][0]["state"], "approved");
  CAF_CHECK_EQUAL(mine.body["items"][0]["classmate"], "张**");
  // Approving twice is refused.
  CAF_CHECK_EQUAL(post(url + "/approve", r.classmate_token).error_code(),
                  "REQUEST_CLOSED");
}

CAF_TEST(every kind of mismatch answers the same) {
  auto r = make_classroom();
  std::vector<json_reply> replies{
    ask(r, "张三", r.classmate_mobile),         // wrong name
    ask(r, r.classmate_name, "13611112222"),    // unknown mobile
    ask(r, "赵敏敏", r.unbound_mobile),          // mobile not bound
    ask(r, "周芷若", r.other_class_mobile),      // another class
    ask(r, "李小龙", r.holder_mobile),           // the holder of your own ID
  };
  for (auto& x : replies) {
    CAF_CHECK_EQUAL(x.status, 422u);
    CAF_CHECK_EQUAL(x.body, replies[0].body);
  }
  CAF_CHECK_EQUAL(replies[0].error_code(), "ASSIST_NO_MATCH");
  CAF_CHECK(replies[0].body["error"]["field"].is_null());
  CAF_CHECK_EQUAL(used_today(r), 5);
}

CAF_TEST(malformed attempts do not count) {
  auto r = make_classroom();
  auto missing = call(c, bh::verb::post, "/api/v1/assist-requests",
                      {{"classmate_name", r.classmate_name}},
                      r.requester_token);
  CAF_CHECK_EQUAL(missing.status, 422u);
  CAF_CHECK_EQUAL(missing.body["error"]["field"], "classmate_mobile");
  auto bad = ask(r, r.classmate_name, "12345");
  CAF_CHECK_EQUAL(bad.error_code(), "MOBILE_INVALID");
  CAF_CHECK_EQUAL(bad.body["error"]["field"], "classmate_mobile");
  auto bad_own = ask(r, r.classmate_name, r.classmate_mobile, "abc");
  CAF_CHECK_EQUAL(bad_own.body["error"]["field"], "own_mobile");
  CAF_CHECK_EQUAL(used_today(r), 0);
}

CAF_TEST(five a day with the day changing at midnight in shanghai) {
  set_clock(c, "2026-12-03T23:59:30+08:00");
  auto r = make_classroom();
  for (int i = 0; i < 5; ++i)
    CAF_CHECK_EQUAL(ask(r, "某某某", "13600000000").error_code(),
                    "ASSIST_NO_MATCH");
  auto sixth = ask(r, r.classmate_name, r.classmate_mobile);
  CAF_CHECK_EQUAL(sixth.status, 429u);
  CAF_CHECK_EQUAL(sixth.error_code(), "ASSIST_DAILY_LIMIT");
  CAF_CHECK_EQUAL(sixth.body["resets_at"], "2026-12-04T00:00:00+08:00");
  CAF_CHECK_EQUAL(sixth.raw[bh::field::retry_after], "30");
  auto text = scrape(c).raw.body();
  CAF_CHECK_EQUAL(sample(text, "idclaim_assist_requests_total{outcome=\""
                               "ASSIST_NO_MATCH\"}"),
                  5.0);
  CAF_CHECK_EQUAL(sample(text, "idclaim_assist_requests_total{outcome=\""
                               "ASSIST_DAILY_LIMIT\"}"),
                  1.0);
  auto quota = get("/api/v1/assist-requests/quota", r.requester_token);
  CAF_CHECK_EQUAL(quota.body["remaining"], 0);
  CAF_CHECK_EQUAL(quota.body["limit"], 5);
  // 00:00:30 is a new day in Asia/Shanghai (16:00:30 UTC).
  advance_clock(c, 60);
  quota = get("/api/v1/assist-requests/quota", r.requester_token);
  CAF_CHECK_EQUAL(quota.body["used"], 0);
  CAF_CHECK_EQUAL(quota.body["resets_at"], "2026-12-05T00:00:00+08:00");
  CAF_CHECK_EQUAL(ask(r, r.classmate_name, r.classmate_mobile).status, 201u);
}

CAF_TEST(twenty concurrent attempts never pass five) {
  auto r = make_classroom();
  std::mutex m;
  std::map<unsigned, int> statuses;
  concurrently(20, [&](int) {
    auto own = svc.client();
    auto x = call(own, bh::verb::post, "/api/v1/assist-requests",
                  {{"classmate_name", "某某某"},
                   {"classmate_mobile", "13600000000"},
                   {"own_mobile", "13700001234"}},
                  r.requester_token);
    std::lock_guard<std::mutex> guard{m};
    statuses[x.status] += 1;
  });
  CAF_CHECK_EQUAL(statuses[422], 5);
  CAF_CHECK_EQUAL(statuses[429], 15);
  CAF_CHECK_EQUAL(used_today(r), 5);
}

CAF_TEST(requests expire after 72 hours) {
  set_clock(c, "2026-12-01T10:00:00+08:00");
  auto r = make_classroom();
  CAF_REQUIRE_EQUAL(ask(r, r.classmate_name, r.classmate_mobile).status, 201u);
  auto item = inbox_item(r);
  auto state_now = [&] {
    // Sessions last 12 hours: log in afresh after moving the clock.
    auto token = login(c, r.requester_username);
    auto mine = get("/api/v1/assist-requests/mine", token);
    return mine.body["items"][0]["state"].get<std::string>();
  };
  advance_clock(c, 72 * 3600 - 1);
  CAF_CHECK_EQUAL(state_now(), "pending");
  advance_clock(c, 1);
  CAF_CHECK_EQUAL(state_now(), "expired");
  auto late = post("/api/v1/inbox/" + std::to_string(item) + "/approve",
                   login(c, r.classmate_username));
  CAF_CHECK_EQUAL(late.error_code(), "REQUEST_CLOSED");
  CAF_CHECK_EQUAL(status_of(svc, r.requester), "restricted");
}

CAF_TEST(a declined request is shown to the requester) {
  auto r = make_classroom();
  CAF_REQUIRE_EQUAL(ask(r, r.classmate_name, r.classmate_mobile).status, 201u);
  auto url = "/api/v1/inbox/" + std::to_string(inbox_item(r));
  CAF_CHECK_EQUAL(post(url + "/decline", r.classmate_token).status, 200u);
  CAF_CHECK_EQUAL(post(url + "/approve", r.classmate_token).error_code(),
                  "REQUEST_CLOSED");
  auto mine = get("/api/v1/assist-requests/mine", r.requester_token);
  CAF_CHECK_EQUAL(mine.body["items"][0]["state"], "declined");
  CAF_CHECK_EQUAL(status_of(svc, r.requester), "restricted");
}

CAF_TEST(who may use which assist pages) {
  auto r = make_classroom();
  // An active account has nothing to prove.
  auto active = call(c, bh::verb::post, "/api/v1/assist-requests",
                     {{"classmate_name", "张三"},
                      {"classmate_mobile", "13600000000"},
                      {"own_mobile", "13700000000"}},
                     r.classmate_token);
  CAF_CHECK_EQUAL(active.status, 403u);
  CAF_CHECK_EQUAL(active.error_code(), "NOT_RESTRICTED");
  // A restricted account may not read an inbox yet.
  CAF_CHECK_EQUAL(get("/api/v1/inbox", r.requester_token).error_code(),
                  "ACCOUNT_RESTRICTED");
  // Someone else's inbox item does not exist for you.
  CAF_REQUIRE_EQUAL(ask(r, r.classmate_name, r.classmate_mobile).status, 201u);
  auto other = login(c, r.other_class_username);
  CAF_CHECK_EQUAL(post("/api/v1/inbox/" + std::to_string(inbox_item(r))
                         + "/approve",
                       other)
                    .status,
                  404u);
}

CAF_TEST(the holder is told when the id is claimed) {
  auto r = make_classroom();
  CAF_REQUIRE_EQUAL(ask(r, r.classmate_name, r.classmate_mobile).status, 201u);
  auto holder_token = login(c, r.holder_username);
  auto inbox = get("/api/v1/inbox", holder_token);
  int contested = 0;
  for (auto& item : inbox.body["items"])
    contested += item["kind"] == "claim_contested";
  // Once for the restricted registration, once for the assist request.
  CAF_CHECK_EQUAL(contested, 2);
  // And by SMS to the bound mobile (the embedded gateway's outbox).
  auto outbox = [&] {
    return read_file(svc.data_dir() + "/data/sms-outbox.jsonl");
  };
  auto holder_mobile = r.holder_mobile;
  // The SMS actor writes after the commit: wait for the line to appear.
  CAF_CHECK(eventually(
    [&] { return outbox().find(holder_mobile) != std::string::npos; }));
  // ... and counted in the metrics.
  CAF_CHECK(eventually([&] {
    return sample(scrape(c).raw.body(), "idclaim_sms_total{result=\"sent\"}")
           >= 1.0;
  }));
}

CAF_TEST(assist approval racing review approval resolves once) {
  auto reviewer = staff_token(svc, c, "reviewer", "reviewer01");
  for (int round = 0; round < 20; ++round) {
    auto r = make_classroom();
    CAF_REQUIRE_EQUAL(ask(r, r.classmate_name, r.classmate_mobile).status,
                      201u);
    auto item = inbox_item(r);
    auto review = submit_photos(c, r.requester_token, make_jpeg(16, 16),
                                make_jpeg(16, 16));
    CAF_REQUIRE_EQUAL(review.status, 201u);
    auto case_id = review.body["review"]["id"].get<int64_t>();
    std::atomic<int> won{0};
    std::atomic<int> lost{0};
    concurrently(2, [&](int i) {
      auto own = svc.client();
      auto x = i == 0
                 ? call(own, bh::verb::post,
                        "/api/v1/admin/reviews/" + std::to_string(case_id)
                          + "/approve",
                        nlohmann::json::object(), reviewer)
                 : call(own, bh::verb::post,
                        "/api/v1/inbox/" + std::to_string(item) + "/approve",
                        nlohmann::json::object(), r.classmate_token);
      if (x.status == 200)
        won += 1;
      else if (x.error_code() == "CASE_CLOSED"
               || x.error_code() == "REQUEST_CLOSED")
        lost += 1;
    });
    CAF_CHECK_EQUAL(won.load(), 1);
    CAF_CHECK_EQUAL(lost.load(), 1);
    CAF_CHECK_EQUAL(status_of(svc, r.requester), "active");
    CAF_CHECK_EQUAL(status_of(svc, r.holder), "cancelled");
    int resolutions = 0;
    in_storage(svc, [&](storage::connection& conn) {
      auto claim = conn.accounts().find(r.requester)->claim;
      for (auto& e : conn.claims().events(claim))
        resolutions += e.kind.rfind("resolved_by_", 0) == 0;
    });
    CAF_CHECK_EQUAL(resolutions, 1);
  }
}

CAF_TEST_FIXTURE_SCOPE_END()
