#include "tests/support/ws_crowd.hpp"

#include <functional>
#include <stdexcept>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

namespace idclaim::testing {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace websocket = boost::beast::websocket;
using tcp = net::ip::tcp;

namespace {

struct member {
  explicit member(net::io_context& ioc) : ws(ioc) {}
  websocket::stream<beast::tcp_stream> ws;
  beast::flat_buffer buffer;
  std::vector<nlohmann::json> frames;
  bool open = false;
  bool failed = false;
};

} // namespace

struct ws_crowd::impl {
  net::io_context ioc;
  std::vector<std::unique_ptr<member>> members;
  unsigned short port = 0;

  void read(member& m) {
    m.ws.async_read(m.buffer, [this, &m](beast::error_code ec, std::size_t) {
      if (ec) {
        m.open = false;
        return;
      }
      m.frames.push_back(nlohmann::json::parse(
        beast::buffers_to_string(m.buffer.data()), nullptr, false));
      m.buffer.clear();
      read(m);
    });
  }

  void start(member& m, const std::string& token) {
    tcp::endpoint endpoint{net::ip::make_address("127.0.0.1"), port};
    beast::get_lowest_layer(m.ws).async_connect(
      endpoint, [this, &m, token](beast::error_code ec) {
        if (ec) {
          m.failed = true;
          return;
        }
        m.ws.async_handshake("127.0.0.1:" + std::to_string(port),
                             "/api/v1/events?token=" + token,
                             [this, &m](beast::error_code ec2) {
                               if (ec2) {
                                 m.failed = true;
                                 return;
                               }
                               m.open = true;
                               read(m);
                             });
      });
  }
};

ws_crowd::ws_crowd(unsigned short port, const std::vector<std::string>& tokens,
                   std::chrono::milliseconds timeout)
  : impl_(std::make_unique<impl>()) {
  impl_->port = port;
  for (auto& t : tokens) {
    impl_->members.push_back(std::make_unique<member>(impl_->ioc));
    impl_->start(*impl_->members.back(), t);
  }
  auto deadline = std::chrono::steady_clock::now() + timeout;
  auto all_open = [this] {
    for (auto& m : impl_->members)
      if (!m->open)
        return false;
    return true;
  };
  while (!all_open()) {
    for (auto& m : impl_->members)
      if (m->failed)
        throw std::runtime_error("a crowd socket failed to open");
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("the crowd did not open in time");
    impl_->ioc.restart();
    impl_->ioc.run_for(std::chrono::milliseconds{20});
  }
}

ws_crowd::~ws_crowd() {
  for (auto& m : impl_->members) {
    beast::error_code ignored;
    beast::get_lowest_layer(m->ws).socket().close(ignored);
  }
  impl_->ioc.restart();
  impl_->ioc.run_for(std::chrono::seconds{1});
}

bool ws_crowd::wait_all(
  const std::function<bool(const std::vector<nlohmann::json>&)>& done,
  std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    bool all = true;
    for (auto& m : impl_->members)
      all = all && done(m->frames);
    if (all)
      return true;
    if (std::chrono::steady_clock::now() > deadline)
      return false;
    impl_->ioc.restart();
    impl_->ioc.run_for(std::chrono::milliseconds{20});
  }
}

const std::vector<nlohmann::json>& ws_crowd::frames(std::size_t i) const {
  return impl_->members.at(i)->frames;
}

std::size_t ws_crowd::size() const {
  return impl_->members.size();
}

} // namespace idclaim::testing
