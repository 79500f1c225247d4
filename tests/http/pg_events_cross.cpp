#define CAF_SUITE http.pg_events_cross
#include <caf/test/unit_test.hpp>

#include <chrono>

#include "tests/support/api_steps.hpp"
#include "tests/support/classroom.hpp"
#include "tests/support/ws_client.hpp"

using namespace idclaim;
using namespace idclaim::testing;
using namespace std::chrono_literals;
namespace bh = boost::beast::http;

namespace {

/// Two processes on one PostgreSQL database, as behind a load balancer
/// (two services in this process, each with its own actors and listener).
struct fixture {
  test_service a;
  std::unique_ptr<test_service> b;
  http_client ca = a.client();

  fixture() {
    if (!a.database().postgres())
      return;
    auto url = a.database().url();
    auto keys = a.data_dir() + "/data/secret.keys";
    b = std::make_unique<test_service>([&](config::settings& s) {
      s.database = url;
      s.key_file = keys;
    });
  }

  /// An open live-event socket on process B for `token`.
  std::unique_ptr<ws_client> connect_b(const std::string& token) {
    auto ws = std::make_unique<ws_client>(b->port());
    CAF_REQUIRE_EQUAL(ws->handshake("/api/v1/events?token=" + token), 101u);
    return ws;
  }

  /// The next inbox count pushed on `ws` within `limit`, skipping others.
  static std::optional<int64_t> next_unread(ws_client& ws,
                                            std::chrono::milliseconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
      auto frame = ws.next(std::max(left, 1ms));
      if (!frame)
        return std::nullopt;
      if ((*frame)["type"] == "inbox")
        return (*frame)["unread"].get<int64_t>();
    }
    return std::nullopt;
  }

  /// Runs `sql` on the shared database directly: no NOTIFY, as if the
  /// notification had been lost.
  void silently(const std::string& sql) {
    auto conn = a.database().db()->connect();
    conn->driver().exec(sql, {});
  }

  /// Ends B's listener connection, as a database restart would.
  int64_t kill_listeners() {
    auto conn = a.database().db()->connect();
    return static_cast<int64_t>(
      conn->driver()
        .exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
              "WHERE application_name = 'idclaim-listener' AND datname = "
              "current_database()",
              {})
        .rows.size());
  }
};

} // namespace

#define REQUIRE_POSTGRES()                                                     \
  if (!b) {                                                                    \
    CAF_MESSAGE("SKIPPED: needs IDCLAIM_TEST_DATABASE (ctest: <suite>@pg)");   \
    return;                                                                    \
  }                                                                            \
  static_cast<void>(0)

CAF_TEST_FIXTURE_SCOPE(pg_events_cross_tests, fixture)

CAF_TEST(a request sent through A reaches a socket on B within a second) {
  REQUIRE_POSTGRES();
  auto op = staff_token(a, ca, "operator", "operator01");
  auto r = make_classroom(a, ca, op, 1);
  auto ws = connect_b(r.classmate_token);
  CAF_REQUIRE_EQUAL(read_first_frames(*ws).unread, std::optional<int64_t>{0});
  CAF_REQUIRE_EQUAL(
    ask_classmate(ca, r, r.classmate_name, r.classmate_mobile).status, 201u);
  CAF_CHECK_EQUAL(next_unread(*ws, 1s), std::optional<int64_t>{1});
}

CAF_TEST(after its listener reconnects B pushes what it missed) {
  REQUIRE_POSTGRES();
  auto op = staff_token(a, ca, "operator", "operator01");
  auto r = make_classroom(a, ca, op, 2);
  CAF_REQUIRE_EQUAL(
    ask_classmate(ca, r, r.classmate_name, r.classmate_mobile).status, 201u);
  auto ws = connect_b(r.classmate_token);
  CAF_REQUIRE_EQUAL(read_first_frames(*ws).unread, std::optional<int64_t>{1});
  // The item is read behind every process's back: no NOTIFY tells B.
  silently("UPDATE inbox_items SET read_ms = 1 WHERE read_ms IS NULL");
  CAF_REQUIRE_EQUAL(kill_listeners(), 2);
  CAF_CHECK_EQUAL(next_unread(*ws, 10s), std::optional<int64_t>{0});
}

CAF_TEST_FIXTURE_SCOPE_END()
