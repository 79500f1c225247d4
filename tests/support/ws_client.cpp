#include "tests/support/ws_client.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/system/system_error.hpp>

namespace idclaim::testing {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
namespace websocket = boost::beast::websocket;
using tcp = net::ip::tcp;

ws_client::ws_client(unsigned short port, std::size_t receive_buffer)
  : ws_(ioc_), port_(port) {
  auto& stream = beast::get_lowest_layer(ws_);
  if (receive_buffer > 0) {
    stream.socket().open(tcp::v4());
    stream.socket().set_option(
      net::socket_base::receive_buffer_size(static_cast<int>(receive_buffer)));
  }
  tcp::endpoint endpoint{net::ip::make_address("127.0.0.1"), port};
  auto ec = run(
    [&](auto done) {
      stream.async_connect(endpoint, [done](beast::error_code e) { done(e); });
    },
    std::chrono::seconds{5});
  if (ec)
    throw boost::system::system_error(ec, "ws connect");
}

template <class Start>
beast::error_code ws_client::run(Start&& start,
                                 std::chrono::milliseconds limit) {
  beast::error_code result = net::error::would_block;
  bool finished = false;
  start([&](beast::error_code ec) {
    result = ec;
    finished = true;
  });
  ioc_.restart();
  ioc_.run_for(limit);
  if (!finished) {
    // Cancel and let the handler run so nothing outlives this call.
    beast::get_lowest_layer(ws_).cancel();
    ioc_.restart();
    ioc_.run();
    return net::error::timed_out;
  }
  return result;
}

unsigned
ws_client::handshake(const std::string& target,
                     std::vector<std::pair<std::string, std::string>> headers) {
  websocket::response_type res;
  ws_.set_option(
    websocket::stream_base::decorator([headers](websocket::request_type& req) {
      for (auto& [name, value] : headers)
        req.set(name, value);
    }));
  auto host = "127.0.0.1:" + std::to_string(port_);
  auto ec = run(
    [&](auto done) {
      ws_.async_handshake(res, host, target,
                          [done](beast::error_code e) { done(e); });
    },
    std::chrono::seconds{5});
  if (!ec)
    return 101;
  if (ec == websocket::error::upgrade_declined)
    return res.result_int();
  throw boost::system::system_error(ec, "ws handshake");
}

std::optional<nlohmann::json>
ws_client::next(std::chrono::milliseconds timeout) {
  buffer_.clear();
  auto ec = run(
    [&](auto done) {
      ws_.async_read(buffer_,
                     [done](beast::error_code e, std::size_t) { done(e); });
    },
    timeout);
  if (ec)
    return std::nullopt;
  return nlohmann::json::parse(beast::buffers_to_string(buffer_.data()),
                               nullptr, false);
}

std::optional<int> ws_client::wait_closed(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      return std::nullopt;
    buffer_.clear();
    auto ec = run(
      [&](auto done) {
        ws_.async_read(buffer_,
                       [done](beast::error_code e, std::size_t) { done(e); });
      },
      left);
    if (ec == websocket::error::closed)
      return static_cast<int>(ws_.reason().code);
    if (ec == net::error::timed_out)
      return std::nullopt;
    if (ec)
      return 0; // reset or EOF without a close frame
  }
}

void ws_client::close() {
  run(
    [&](auto done) {
      ws_.async_close(websocket::close_code::normal,
                      [done](beast::error_code e) { done(e); });
    },
    std::chrono::seconds{5});
}

first_frames read_first_frames(ws_client& c,
                               std::chrono::milliseconds timeout) {
  first_frames out;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!(out.unread && out.status)) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      break;
    auto frame = c.next(left);
    if (!frame)
      break;
    if ((*frame)["type"] == "inbox")
      out.unread = (*frame)["unread"].get<int64_t>();
    else if ((*frame)["type"] == "account")
      out.status = (*frame)["status"].get<std::string>();
  }
  return out;
}

} // namespace idclaim::testing
