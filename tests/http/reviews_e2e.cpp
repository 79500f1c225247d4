#define CAF_SUITE http.reviews_e2e
#include <caf/test/unit_test.hpp>

#include <atomic>

#include "actors/maintenance_actor.hpp"
#include "domain/photo_check.hpp"
#include "tests/support/api_steps.hpp"
#include "tests/support/concurrently.hpp"
#include "tests/support/images.hpp"

using namespace idclaim;
using namespace idclaim::testing;
namespace bh = boost::beast::http;

namespace {

/// A held ID with one restricted claimant, logged in.
struct conflict {
  std::string id_number;
  int64_t holder = 0;
  int64_t claimant = 0;
  std::string claimant_token;
};

struct fixture {
  test_service svc;
  http_client c = svc.client();
  int next = 0;

  /// A fresh ID held by one account and claimed by another.
  conflict make_conflict() {
    ++next;
    conflict k;
    k.id_number = nth_resident_id(3000 + next);
    auto tag = std::to_string(next);
    k.holder = must_register(c, {"holder" + tag + "x"}, k.id_number, false);
    k.claimant = must_register(c, {"claimer" + tag + "x"}, k.id_number);
    k.claimant_token = login(c, "claimer" + tag + "x");
    return k;
  }

  json_reply get(const std::string& target, const std::string& token) {
    return call(c, bh::verb::get, target, nullptr, token);
  }

  json_reply post(const std::string& target, const std::string& token,
                  const nlohmann::json& body = nlohmann::json::object()) {
    return call(c, bh::verb::post, target, body, token);
  }

  /// Submits good photos for `k` and returns the case id.
  int64_t open_case(const conflict& k) {
    auto r = submit_photos(c, k.claimant_token, make_jpeg(64, 48),
                           make_png(64, 48));
    CAF_REQUIRE_EQUAL(r.status, 201u);
    return r.body["review"]["id"].get<int64_t>();
  }

  std::string reviewer(const std::string& name = "reviewer01") {
    return staff_token(svc, c, "reviewer", name);
  }
};

std::string case_url(int64_t id, const std::string& tail = "") {
  return "/api/v1/admin/reviews/" + std::to_string(id) + tail;
}

} // namespace

CAF_TEST_FIXTURE_SCOPE(reviews_e2e, fixture)

CAF_TEST(an open case puts the id in case 1 until it ends) {
  auto k = make_conflict();
  auto r = submit_photos(c, k.claimant_token, make_jpeg(64, 48),
                         make_gif(64, 48));
  CAF_REQUIRE_EQUAL(r.status, 201u);
  CAF_CHECK_EQUAL(r.body["review"]["state"], "open");
  CAF_CHECK(r.body["review"]["submitted_at"].get<std::string>().find("+08:00")
            != std::string::npos);
  auto again = register_person(c, {"latecomer1"}, k.id_number);
  CAF_CHECK_EQUAL(again.status, 409u);
  CAF_CHECK_EQUAL(again.error_code(), "ID_UNDER_REVIEW");
  CAF_CHECK_EQUAL(again.body["hints"],
                  nlohmann::json({"login", "recover_username"}));
  auto check = call(c, bh::verb::post, "/api/v1/id-checks",
                    {{"id_number", k.id_number}});
  CAF_CHECK_EQUAL(check.body["state"], "under_review");
  // One open case per claimant.
  auto second = submit_photos(c, k.claimant_token, make_jpeg(64, 48),
                              make_png(64, 48));
  CAF_CHECK_EQUAL(second.error_code(), "REVIEW_ALREADY_OPEN");
  auto mine = get("/api/v1/reviews/mine", k.claimant_token);
  CAF_REQUIRE_EQUAL(mine.body["items"].size(), 1u);
  CAF_CHECK_EQUAL(mine.body["items"][0]["state"], "open");
}

CAF_TEST(photos are judged by their content and size) {
  auto k = make_conflict();
  auto jpeg = make_jpeg(64, 48);
  auto png = make_png(64, 48);
  auto limit = domain::max_photo_bytes;
  auto expect = [&](const std::string& front, const std::string& back,
                    unsigned status, const std::string& code,
                    const std::string& field) {
    auto r = submit_photos(c, k.claimant_token, front, back);
    CAF_CHECK_EQUAL(r.status, status);
    CAF_CHECK_EQUAL(r.error_code(), code);
    CAF_CHECK_EQUAL(r.body["error"]["field"], field);
  };
  expect(pad_png_to(png, limit + 1), jpeg, 413, "PHOTO_TOO_LARGE", "front");
  expect(jpeg, pad_jpeg_to(jpeg, limit + 1), 413, "PHOTO_TOO_LARGE", "back");
  // A text file sent as "front.jpg" with image/jpeg: the name and the
  // declared type do not matter.
  expect("just some text, not a picture", jpeg, 422, "PHOTO_FORMAT", "front");
  expect(jpeg, png.substr(0, png.size() / 2), 422, "PHOTO_FORMAT", "back");
  expect(png + "<html><script>alert(1)</script></html>", jpeg, 422,
         "PHOTO_FORMAT", "front");
  expect(make_gif(8, 8) + "PK\x03\x04 zip after the trailer", jpeg, 422,
         "PHOTO_FORMAT", "front");
  expect(jpeg, "", 422, "PHOTO_MISSING", "back");
  // Nothing refused opened a case; exactly at the limit is accepted.
  CAF_CHECK(get("/api/v1/reviews/mine", k.claimant_token).body["items"].empty());
  auto ok = submit_photos(c, k.claimant_token, pad_png_to(png, limit),
                          pad_gif_to(make_gif(64, 48), limit));
  CAF_CHECK_EQUAL(ok.status, 201u);
}

CAF_TEST(a missing part and a broken body are refused) {
  auto k = make_conflict();
  auto only_front = multipart_body({{"front", "f.png", "", make_png(8, 8)}});
  auto res = c.request(
    bh::verb::post, "/api/v1/reviews", only_front,
    {{"Content-Type", "multipart/form-data; boundary=" + test_boundary},
     {"Authorization", "Bearer " + k.claimant_token}});
  CAF_CHECK_EQUAL(res.result_int(), 422u);
  auto refused = nlohmann::json::parse(res.body());
  CAF_CHECK_EQUAL(refused["error"]["field"], "back");
  auto unterminated = only_front.substr(0, only_front.size() - 4);
  res = c.request(
    bh::verb::post, "/api/v1/reviews", unterminated,
    {{"Content-Type", "multipart/form-data; boundary=" + test_boundary},
     {"Authorization", "Bearer " + k.claimant_token}});
  CAF_CHECK_EQUAL(res.result_int(), 400u);
  res = c.request(bh::verb::post, "/api/v1/reviews", "{}",
                  {{"Content-Type", "application/json"},
                   {"Authorization", "Bearer " + k.claimant_token}});
  CAF_CHECK_EQUAL(res.result_int(), 415u);
}

CAF_TEST(a request bigger than two photos is refused before it is read) {
  auto k = make_conflict();
  // Only the header is sent: the limit is checked on Content-Length.
  c.write_raw("POST /api/v1/reviews HTTP/1.1\r\nHost: x\r\nAuthorization: "
              "Bearer " + k.claimant_token + "\r\nContent-Type: "
              "multipart/form-data; boundary=b\r\nContent-Length: 5000000"
              "\r\n\r\n");
  auto res = c.read_response();
  CAF_CHECK_EQUAL(res.result_int(), 413u);
  auto body = nlohmann::json::parse(res.body());
  CAF_CHECK_EQUAL(body["error"]["code"], "BODY_TOO_LARGE");
}

CAF_TEST(only restricted accounts submit) {
  auto k = make_conflict();
  auto holder_token = login(c, "holder" + std::to_string(next) + "x");
  auto r = submit_photos(c, holder_token, make_jpeg(8, 8), make_jpeg(8, 8));
  CAF_CHECK_EQUAL(r.status, 409u);
  CAF_CHECK_EQUAL(r.error_code(), "NOT_RESTRICTED");
}

CAF_TEST(the warning names the holder registrations) {
  auto k = make_conflict();
  auto plain = get("/api/v1/reviews/warning", k.claimant_token);
  CAF_CHECK_EQUAL(plain.status, 200u);
  CAF_CHECK_EQUAL(plain.body["holder_has_military"], false);
  CAF_CHECK_EQUAL(plain.body["message"].get<std::string>().find("兵役"),
                  std::string::npos);
  set_registrations(svc, k.holder, true, false);
  auto warned = get("/api/v1/reviews/warning", k.claimant_token);
  CAF_CHECK_EQUAL(warned.body["holder_has_military"], true);
  CAF_CHECK_EQUAL(warned.body["holder_has_grad_exam"], false);
  CAF_CHECK_NOT_EQUAL(
    warned.body["message"].get<std::string>().find("兵役登记/应征报名"),
    std::string::npos);
  // The reviewer sees it again on the case.
  auto id = open_case(k);
  auto detail = get(case_url(id), reviewer());
  CAF_CHECK_EQUAL(detail.body["warning"]["holder_has_military"], true);
}

CAF_TEST(students and operators may not use the reviewer endpoints) {
  auto k = make_conflict();
  auto id = open_case(k);
  auto op = staff_token(svc, c, "operator", "operator01");
  for (auto& token : {k.claimant_token, op}) {
    CAF_CHECK_EQUAL(get("/api/v1/admin/reviews", token).status, 403u);
    CAF_CHECK_EQUAL(get(case_url(id), token).status, 403u);
    CAF_CHECK_EQUAL(post(case_url(id, "/approve"), token).status, 403u);
  }
  CAF_CHECK_EQUAL(get("/api/v1/admin/reviews", "").status, 401u);
  CAF_CHECK_EQUAL(status_of(svc, k.claimant), "restricted");
}

CAF_TEST(the queue is oldest first with position and age) {
  set_clock(c, "2026-12-01T09:00:00+08:00");
  auto first = make_conflict();
  auto first_id = open_case(first);
  advance_clock(c, 600);
  auto second = make_conflict();
  auto second_id = open_case(second);
  advance_clock(c, 60);
  auto q = get("/api/v1/admin/reviews?state=open", reviewer());
  CAF_REQUIRE_EQUAL(q.status, 200u);
  auto& items = q.body["items"];
  CAF_REQUIRE_EQUAL(items.size(), 2u);
  CAF_CHECK_EQUAL(items[0]["id"], first_id);
  CAF_CHECK_EQUAL(items[0]["position"], 1);
  CAF_CHECK_EQUAL(items[1]["id"], second_id);
  CAF_CHECK_EQUAL(items[1]["position"], 2);
  CAF_CHECK_GREATER_OR_EQUAL(items[0]["age_seconds"].get<int64_t>(), 660);
  CAF_CHECK_LESS(items[1]["age_seconds"].get<int64_t>(), 600);
  CAF_CHECK_EQUAL(items[0]["claimant"]["name"], "王**");
  CAF_CHECK_EQUAL(q.body["open_total"], 2);
  auto bad = get("/api/v1/admin/reviews?state=nonsense", reviewer("reviewer02"));
  CAF_CHECK_EQUAL(bad.error_code(), "FIELD_TYPE");
}

CAF_TEST(approval makes the claimant the holder and cancels the others) {
  auto k = make_conflict();
  auto tag = std::to_string(next);
  auto third = must_register(c, {"third" + tag + "xx"}, k.id_number);
  auto id = open_case(k);
  auto token = reviewer();
  auto detail = get(case_url(id), token);
  // The reviewer working the case sees the ID number and the name in full.
  CAF_CHECK_EQUAL(detail.body["id_number"], k.id_number);
  CAF_CHECK_EQUAL(detail.body["claimant"]["name"], "王小明");
  CAF_CHECK_EQUAL(detail.body["holder"]["name"], "王**");
  auto photo = c.request(bh::verb::get, case_url(id, "/photos/back"), "",
                         {{"Authorization", "Bearer " + token}});
  CAF_CHECK_EQUAL(photo.result_int(), 200u);
  CAF_CHECK_EQUAL(photo[bh::field::content_type], "image/png");
  CAF_CHECK_EQUAL(photo.body(), make_png(64, 48));
  auto r = post(case_url(id, "/approve"), token);
  CAF_REQUIRE_EQUAL(r.status, 200u);
  CAF_CHECK_EQUAL(r.body["winner"], k.claimant);
  CAF_CHECK_EQUAL(status_of(svc, k.claimant), "active");
  CAF_CHECK_EQUAL(status_of(svc, k.holder), "cancelled");
  CAF_CHECK_EQUAL(status_of(svc, third), "cancelled");
  // The old holder cannot log in and is told why.
  auto refused = call(c, bh::verb::post, "/api/v1/sessions",
                      {{"username", "holder" + tag + "x"},
                       {"password", "Passw0rd-x1"}});
  CAF_CHECK_EQUAL(refused.status, 403u);
  CAF_CHECK_EQUAL(refused.error_code(), "ACCOUNT_CANCELLED");
  CAF_CHECK(!refused.body["reason"].get<std::string>().empty());
  // The winner may use everything now and finds the result in the inbox.
  auto inbox = get("/api/v1/inbox", k.claimant_token);
  CAF_REQUIRE_EQUAL(inbox.status, 200u);
  CAF_REQUIRE_EQUAL(inbox.body["items"].size(), 1u);
  CAF_CHECK_EQUAL(inbox.body["items"][0]["kind"], "review_approved");
  // The claim left case 1 and is held again.
  CAF_CHECK_EQUAL(register_person(c, {"after" + tag + "xx"}, k.id_number, false)
                    .error_code(),
                  "ID_ALREADY_REGISTERED");
  // A second decision on the case is refused.
  CAF_CHECK_EQUAL(post(case_url(id, "/approve"), token).error_code(),
                  "CASE_CLOSED");
  CAF_CHECK_EQUAL(
    post(case_url(id, "/reject"), token, {{"reason", "照片不清晰"}})
      .error_code(),
    "CASE_CLOSED");
  // The history tells who did what.
  auto events = get(case_url(id), token).body["events"];
  std::vector<std::string> kinds;
  for (auto& e : events)
    kinds.push_back(e["kind"]);
  CAF_CHECK_EQUAL(kinds, (std::vector<std::string>{
                           "registered_holder", "registered_claimant",
                           "registered_claimant", "review_opened",
                           "resolved_by_review"}));
}

CAF_TEST(rejection keeps the claimant restricted with the reason) {
  auto k = make_conflict();
  auto id = open_case(k);
  auto token = reviewer();
  auto empty = post(case_url(id, "/reject"), token, {{"reason", "  "}});
  CAF_CHECK_EQUAL(empty.error_code(), "REASON_INVALID");
  CAF_CHECK_EQUAL(empty.body["error"]["field"], "reason");
  auto r = post(case_url(id, "/reject"), token, {{"reason", "照片不清晰"}});
  CAF_REQUIRE_EQUAL(r.status, 200u);
  CAF_CHECK_EQUAL(status_of(svc, k.claimant), "restricted");
  auto mine = get("/api/v1/reviews/mine", k.claimant_token);
  CAF_CHECK_EQUAL(mine.body["items"][0]["state"], "rejected");
  CAF_CHECK_EQUAL(mine.body["items"][0]["reason"], "照片不清晰");
  // The claim left case 1; the claimant may submit again.
  auto check = call(c, bh::verb::post, "/api/v1/id-checks",
                    {{"id_number", k.id_number}});
  CAF_CHECK_EQUAL(check.body["state"], "registered");
  CAF_CHECK_EQUAL(submit_photos(c, k.claimant_token, make_jpeg(32, 32),
                                make_jpeg(32, 32))
                    .status,
                  201u);
}

CAF_TEST(photos go only to the reviewer working the case and are purged) {
  auto k = make_conflict();
  auto id = open_case(k);
  auto first = reviewer("reviewer01");
  auto other = reviewer("reviewer02");
  auto photo_status = [&](const std::string& token) {
    return c.request(bh::verb::get, case_url(id, "/photos/front"), "",
                     {{"Authorization", "Bearer " + token}})
      .result_int();
  };
  CAF_CHECK_EQUAL(photo_status(other), 200u);
  CAF_REQUIRE_EQUAL(post(case_url(id, "/reject"), first,
                         {{"reason", "请重新拍摄"}})
                      .status,
                    200u);
  CAF_CHECK_EQUAL(photo_status(first), 200u);
  CAF_CHECK_EQUAL(photo_status(other), 403u);
  // 30 days after the case ended the photos are deleted.
  advance_clock(c, 31 * 24 * 3600);
  auto now = svc.service().context()->time->now_ms();
  in_storage(svc, [now](storage::connection& conn) {
    actors::run_maintenance(conn, now, std::chrono::hours{30 * 24});
  });
  // (The session has long expired too.)
  CAF_CHECK_EQUAL(photo_status(first), 401u);
  first = login(c, "reviewer01", "Staff-Passw0rd");
  CAF_CHECK_EQUAL(photo_status(first), 404u);
}

CAF_TEST(two reviewers approving at once resolve the claim once) {
  auto a = reviewer("racer0001");
  auto b = reviewer("racer0002");
  for (int round = 0; round < 20; ++round) {
    auto k = make_conflict();
    auto id = open_case(k);
    std::atomic<int> approved{0};
    std::atomic<int> closed{0};
    concurrently(2, [&](int i) {
      auto own = svc.client();
      auto r = call(own, bh::verb::post, case_url(id, "/approve"),
                    nlohmann::json::object(), i == 0 ? a : b);
      if (r.status == 200)
        approved += 1;
      else if (r.error_code() == "CASE_CLOSED")
        closed += 1;
    });
    CAF_CHECK_EQUAL(approved.load(), 1);
    CAF_CHECK_EQUAL(closed.load(), 1);
    CAF_CHECK_EQUAL(status_of(svc, k.claimant), "active");
    CAF_CHECK_EQUAL(status_of(svc, k.holder), "cancelled");
    int64_t resolutions = -1;
    in_storage(svc, [&](storage::connection& conn) {
      auto claim = conn.accounts().find(k.claimant)->claim;
      resolutions = 0;
      for (auto& e : conn.claims().events(claim))
        resolutions += e.kind == "resolved_by_review";
    });
    CAF_CHECK_EQUAL(resolutions, 1);
  }
}

CAF_TEST_FIXTURE_SCOPE_END()
