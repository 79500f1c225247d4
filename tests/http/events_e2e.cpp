#define CAF_SUITE http.events_e2e
#include <caf/test/unit_test.hpp>

#include "tests/support/classroom.hpp"
#include "tests/support/ws_client.hpp"
#include "tests/support/ws_crowd.hpp"

using namespace idclaim;
using namespace idclaim::testing;
namespace bh = boost::beast::http;

namespace {

struct fixture {
  test_service svc;
  http_client c = svc.client();

  /// An open live-event socket for `token`.
  std::unique_ptr<ws_client> connect(const std::string& token) {
    auto ws = std::make_unique<ws_client>(svc.port());
    CAF_REQUIRE_EQUAL(ws->handshake("/api/v1/events?token=" + token), 101u);
    return ws;
  }

  /// The next inbox count pushed on `ws`, skipping other frames.
  std::optional<int64_t> next_unread(ws_client& ws) {
    while (auto frame = ws.next())
      if ((*frame)["type"] == "inbox")
        return (*frame)["unread"].get<int64_t>();
    return std::nullopt;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(events_e2e, fixture)

CAF_TEST(a socket gets the current state on connect) {
  must_register(c, {"watcher01"}, nth_resident_id(1));
  auto ws = connect(login(c, "watcher01"));
  auto first = read_first_frames(*ws);
  CAF_CHECK_EQUAL(first.unread, std::optional<int64_t>{0});
  CAF_CHECK_EQUAL(first.status, std::optional<std::string>{"active"});
}

CAF_TEST(only sessions may connect) {
  ws_client anonymous{svc.port()};
  CAF_CHECK_EQUAL(anonymous.handshake("/api/v1/events"), 401u);
  ws_client forged{svc.port()};
  CAF_CHECK_EQUAL(forged.handshake("/api/v1/events?token=nonsense"), 401u);
  // Another site's page may not use our cookie.
  must_register(c, {"watcher02"}, nth_resident_id(2));
  auto token = login(c, "watcher02");
  ws_client cross{svc.port()};
  CAF_CHECK_EQUAL(
    cross.handshake("/api/v1/events", {{"Cookie", "sid=" + token},
                                       {"Origin", "https://evil.example"}}),
    403u);
  ws_client cookie{svc.port()};
  CAF_CHECK_EQUAL(
    cookie.handshake("/api/v1/events", {{"Cookie", "sid=" + token}}), 101u);
  // A plain GET is told to upgrade.
  CAF_CHECK_EQUAL(c.request(bh::verb::get, "/api/v1/events").result_int(),
                  426u);
}

CAF_TEST(every tab of the classmate sees the request arrive) {
  auto op = staff_token(svc, c, "operator", "operator01");
  auto r = make_classroom(svc, c, op, 1);
  std::vector<std::unique_ptr<ws_client>> tabs;
  for (int i = 0; i < 3; ++i) {
    tabs.push_back(connect(r.classmate_token));
    CAF_CHECK_EQUAL(read_first_frames(*tabs.back()).unread,
                    std::optional<int64_t>{0});
  }
  CAF_REQUIRE_EQUAL(
    ask_classmate(c, r, r.classmate_name, r.classmate_mobile).status, 201u);
  for (auto& tab : tabs)
    CAF_CHECK_EQUAL(next_unread(*tab), std::optional<int64_t>{1});
  // Reading the item brings the badge back to 0 on every tab.
  auto item = classmate_inbox_item(c, r);
  call(c, bh::verb::get, "/api/v1/inbox/" + std::to_string(item), nullptr,
       r.classmate_token);
  for (auto& tab : tabs)
    CAF_CHECK_EQUAL(next_unread(*tab), std::optional<int64_t>{0});
}

CAF_TEST(the requester sees its status change and a reconnect sees the state) {
  auto op = staff_token(svc, c, "operator", "operator01");
  auto r = make_classroom(svc, c, op, 2);
  auto requester = connect(r.requester_token);
  CAF_CHECK_EQUAL(read_first_frames(*requester).status,
                  std::optional<std::string>{"restricted"});
  CAF_REQUIRE_EQUAL(
    ask_classmate(c, r, r.classmate_name, r.classmate_mobile).status, 201u);
  // The classmate was offline when the request came; connecting shows it.
  auto classmate = connect(r.classmate_token);
  CAF_CHECK_EQUAL(read_first_frames(*classmate).unread,
                  std::optional<int64_t>{1});
  auto item = classmate_inbox_item(c, r);
  CAF_REQUIRE_EQUAL(call(c, bh::verb::post,
                         "/api/v1/inbox/" + std::to_string(item) + "/approve",
                         nlohmann::json::object(), r.classmate_token)
                      .status,
                    200u);
  std::optional<std::string> status;
  while (auto frame = requester->next())
    if ((*frame)["type"] == "account") {
      status = (*frame)["status"].get<std::string>();
      break;
    }
  CAF_CHECK_EQUAL(status, std::optional<std::string>{"active"});
}

CAF_TEST(logging out closes the session socket) {
  must_register(c, {"leaver001"}, nth_resident_id(3));
  auto token = login(c, "leaver001");
  auto other = login(c, "leaver001");
  auto ws = connect(token);
  auto stays = connect(other);
  read_first_frames(*ws);
  read_first_frames(*stays);
  CAF_REQUIRE_EQUAL(
    call(c, bh::verb::delete_, "/api/v1/sessions/current", nullptr, token)
      .status,
    200u);
  CAF_CHECK_EQUAL(ws->wait_closed(), std::optional<int>{1000});
  // The other session's socket is untouched.
  CAF_CHECK(!stays->next(std::chrono::milliseconds{200}).has_value());
  CAF_CHECK_EQUAL(svc.service().context()->sockets->size(), 1u);
}

CAF_TEST(a thousand sockets each get their event) {
  // 1,000 holders online; a claimant registering on each ID tells its
  // holder (claim_contested), one inbox frame per socket.
  constexpr int n = 1000;
  std::vector<std::string> tokens;
  for (int i = 0; i < n; ++i) {
    auto name = "crowd" + std::to_string(i) + "x";
    must_register(c, {name}, nth_resident_id(20000 + i), false);
    tokens.push_back(login(c, name));
  }
  ws_crowd crowd{svc.port(), tokens};
  auto saw_unread = [](int64_t want) {
    return [want](const std::vector<nlohmann::json>& frames) {
      for (auto& f : frames)
        if (f["type"] == "inbox" && f["unread"] == want)
          return true;
      return false;
    };
  };
  CAF_REQUIRE(crowd.wait_all(saw_unread(0), std::chrono::seconds{30}));
  for (int i = 0; i < n; ++i)
    must_register(c, {"claim" + std::to_string(i) + "x"},
                  nth_resident_id(20000 + i));
  CAF_CHECK(crowd.wait_all(saw_unread(1), std::chrono::seconds{30}));
}

CAF_TEST(a client that does not read is cut off) {
  test_service small{[](config::settings& s) {
    s.ws_max_queued = 4;
    s.ws_send_buffer_bytes = 4096;
  }};
  auto sc = small.client();
  auto holder = must_register(sc, {"stuck0001"}, nth_resident_id(4));
  auto token = login(sc, "stuck0001");
  ws_client lazy{small.port(), 1024};
  CAF_REQUIRE_EQUAL(lazy.handshake("/api/v1/events?token=" + token), 101u);
  // Every new inbox item is a frame the client never reads.
  for (int i = 0; i < 3000 && small.service().context()->sockets->size() > 0;
       ++i)
    in_storage(small, [holder](storage::connection& conn) {
      conn.inbox().add(holder, storage::inbox_kind::claim_contested,
                       std::nullopt, std::nullopt, "", 0);
      conn.account_changed(holder);
    });
  CAF_CHECK(eventually(
    [&] { return small.service().context()->sockets->size() == 0; }));
}

CAF_TEST_FIXTURE_SCOPE_END()
