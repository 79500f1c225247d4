#define CAF_SUITE http.abuse_limits
#include <caf/test/unit_test.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "tests/support/api_steps.hpp"
#include "tests/support/ws_client.hpp"

using namespace idclaim;
using namespace idclaim::testing;
namespace bh = boost::beast::http;
using std::chrono::milliseconds;
using steady = std::chrono::steady_clock;

namespace {

/// A plain blocking TCP socket to the service, for clients that misbehave
/// below HTTP (trickling bytes, sending nothing).
class raw_socket {
public:
  explicit raw_socket(unsigned short port)
    : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ < 0
        || ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
      throw std::runtime_error("cannot connect");
  }
  ~raw_socket() { ::close(fd_); }
  raw_socket(const raw_socket&) = delete;
  raw_socket& operator=(const raw_socket&) = delete;

  /// Sends `bytes`; false once the server has closed.
  bool send(const std::string& bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL)
           == static_cast<ssize_t>(bytes.size());
  }

  /// Waits up to `limit` for the server to close (end of stream or reset);
  /// data the server sends first is read and ignored.
  bool closed_within(milliseconds limit) {
    auto deadline = steady::now() + limit;
    while (steady::now() < deadline) {
      auto left
        = std::chrono::duration_cast<milliseconds>(deadline - steady::now());
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count()) + 1) <= 0)
        continue;
      char buf[512];
      if (::recv(fd_, buf, sizeof buf, 0) <= 0)
        return true;
    }
    return false;
  }

private:
  int fd_;
};

/// GET /healthz on a new connection; the status, or nothing when the server
/// closed the connection instead of answering.
std::optional<unsigned> fresh_healthz(unsigned short port) {
  try {
    http_client c{"127.0.0.1", port, std::chrono::seconds{5}};
    return c.request(bh::verb::get, "/healthz").result_int();
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

} // namespace

CAF_TEST(connections beyond the per IP limit are closed) {
  test_service svc{[](config::settings& s) { s.max_connections_per_ip = 3; }};
  std::vector<std::unique_ptr<http_client>> open;
  for (int i = 0; i < 3; ++i) {
    open.push_back(std::make_unique<http_client>("127.0.0.1", svc.port()));
    CAF_CHECK_EQUAL(
      open.back()->request(bh::verb::get, "/healthz").result_int(), 200u);
  }
  auto extra = svc.client();
  CAF_CHECK(extra.closed_by_peer());
  // The ones inside the limit keep being served.
  CAF_CHECK_EQUAL(open.front()->request(bh::verb::get, "/healthz").result_int(),
                  200u);
  // A slot freed is a slot to take.
  open.pop_back();
  CAF_CHECK(eventually([&] { return fresh_healthz(svc.port()) == 200u; }));
}

CAF_TEST(a header over the configured limit gets 400 and a close) {
  test_service svc{[](config::settings& s) { s.max_header_bytes = 2048; }};
  auto ok = svc.client();
  CAF_CHECK_EQUAL(ok.request(bh::verb::get, "/healthz", {},
                             {{"X-Pad", std::string(1000, 'a')}})
                    .result_int(),
                  200u);
  auto raw = raw_exchange(svc.port(), "GET /healthz HTTP/1.1\r\nHost: t\r\n"
                                      "X-Pad: "
                                        + std::string(3000, 'a') + "\r\n\r\n");
  auto res = parse_response(raw);
  CAF_CHECK_EQUAL(res.result_int(), 400u);
  CAF_CHECK(!res.keep_alive());
}

CAF_TEST(a body over the configured ceiling gets 413) {
  test_service svc{[](config::settings& s) { s.max_body_bytes = 512; }};
  auto c = svc.client();
  auto small
    = call(c, bh::verb::post, "/api/v1/id-checks",
           {{"id_type", "resident"}, {"id_number", nth_resident_id(1)}});
  CAF_CHECK_EQUAL(small.status, 200u);
  auto c2 = svc.client();
  auto big = call(c2, bh::verb::post, "/api/v1/id-checks",
                  {{"id_type", "resident"},
                   {"id_number", nth_resident_id(1)},
                   {"pad", std::string(1000, 'x')}});
  CAF_CHECK_EQUAL(big.status, 413u);
  CAF_CHECK_EQUAL(big.error_code(), "BODY_TOO_LARGE");
}

CAF_TEST(a client trickling its header a byte at a time is cut off) {
  test_service svc{[](config::settings& s) { s.header_timeout_ms = 400; }};
  raw_socket slow{svc.port()};
  std::string header = "GET /healthz HTTP/1.1\r\nHost: t\r\n";
  auto started = steady::now();
  bool closed = false;
  // Each byte arrives well inside the timeout, so only a deadline on the
  // whole header ends this; the 50 ms wait is the closed-check itself.
  for (std::size_t i = 0;
       !closed && steady::now() - started < milliseconds{5000}; ++i) {
    if (!slow.send(std::string(1, i < header.size() ? header[i] : 'x'))) {
      closed = true;
      break;
    }
    closed = slow.closed_within(milliseconds{50});
  }
  auto took = steady::now() - started;
  CAF_CHECK(closed);
  CAF_CHECK(took >= milliseconds{350});
  CAF_CHECK(took < milliseconds{3000});
  // Others are still served.
  CAF_CHECK_EQUAL(fresh_healthz(svc.port()), std::optional<unsigned>{200u});
}

CAF_TEST(a client that connects and sends nothing is closed) {
  test_service svc{[](config::settings& s) { s.header_timeout_ms = 300; }};
  raw_socket silent{svc.port()};
  auto started = steady::now();
  CAF_CHECK(silent.closed_within(milliseconds{5000}));
  CAF_CHECK(steady::now() - started >= milliseconds{250});
  // An idle keep-alive connection is closed the same way.
  auto c = svc.client();
  CAF_CHECK_EQUAL(c.request(bh::verb::get, "/healthz").result_int(), 200u);
  CAF_CHECK(c.closed_by_peer());
}

CAF_TEST(live event sockets beyond the per account limit are closed) {
  test_service svc{[](config::settings& s) { s.ws_per_account = 2; }};
  auto c = svc.client();
  must_register(c, {"tabber01"}, nth_resident_id(7));
  auto token = login(c, "tabber01");
  auto target = "/api/v1/events?token=" + token;
  std::vector<std::unique_ptr<ws_client>> tabs;
  for (int i = 0; i < 2; ++i) {
    tabs.push_back(std::make_unique<ws_client>(svc.port()));
    CAF_REQUIRE_EQUAL(tabs.back()->handshake(target), 101u);
    CAF_CHECK(read_first_frames(*tabs.back()).unread.has_value());
  }
  ws_client third{svc.port()};
  CAF_REQUIRE_EQUAL(third.handshake(target), 101u);
  CAF_CHECK(third.wait_closed().has_value());
  // Another account is not affected by this one's tabs.
  must_register(c, {"tabber02"}, nth_resident_id(8));
  ws_client other{svc.port()};
  CAF_REQUIRE_EQUAL(
    other.handshake("/api/v1/events?token=" + login(c, "tabber02")), 101u);
  CAF_CHECK(read_first_frames(other).unread.has_value());
  // Closing a tab frees its place.
  tabs.back()->close();
  tabs.pop_back();
  CAF_CHECK(eventually([&] {
    ws_client again{svc.port()};
    return again.handshake(target) == 101u
           && read_first_frames(again, milliseconds{500}).unread.has_value();
  }));
}
