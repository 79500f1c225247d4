#include "http/server.hpp"

#include <atomic>
#include <stdexcept>
#include <string>
#include <utility>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <spdlog/spdlog.h>

#include "http/http_session.hpp"

namespace idclaim::http {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

/// How long to pause accepting after running out of descriptors or memory.
constexpr std::chrono::milliseconds accept_retry_delay{100};

std::string to_text(const tcp::endpoint& endpoint) {
  auto address = endpoint.address().to_string();
  if (endpoint.address().is_v6())
    address = "[" + address + "]";
  return address + ":" + std::to_string(endpoint.port());
}

} // namespace

/// Accepts connections on its own strand and starts one http_session each.
class server::listener : public std::enable_shared_from_this<listener> {
public:
  listener(net::io_context& ioc, tcp::endpoint endpoint,
           std::shared_ptr<const router> routes, server_limits limits,
           std::shared_ptr<const request_metrics> metrics)
    : ioc_(ioc),
      acceptor_(net::make_strand(ioc)),
      retry_timer_(acceptor_.get_executor()),
      endpoint_(std::move(endpoint)),
      router_(std::move(routes)),
      limits_(limits),
      metrics_(std::move(metrics)),
      registry_(std::make_shared<session_registry>()) {
  }

  /// Binds and listens; throws std::runtime_error on failure.
  void open() {
    beast::error_code ec;
    auto check = [this, &ec](const char* what) {
      if (ec)
        throw std::runtime_error("http server cannot " + std::string{what}
                                 + " " + to_text(endpoint_) + ": "
                                 + ec.message());
    };
    acceptor_.open(endpoint_.protocol(), ec);
    check("open a socket for");
    acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    check("set SO_REUSEADDR for");
    acceptor_.bind(endpoint_, ec);
    check("bind");
    acceptor_.listen(net::socket_base::max_listen_connections, ec);
    check("listen on");
    port_ = acceptor_.local_endpoint(ec).port();
    check("read the port of");
  }

  /// Starts the accept loop on the acceptor's strand.
  void run() {
    // Why: the acceptor is only ever used on its strand.
    net::dispatch(acceptor_.get_executor(),
                  beast::bind_front_handler(&listener::do_accept,
                                            shared_from_this()));
  }

  /// Stops accepting and asks every session to end. Thread-safe.
  void stop() {
    if (!registry_->begin_stop())
      return;
    // Why: closing on the strand orders it against on_accept, so that a
    // session accepted concurrently is either seen here or sees the flag.
    net::post(acceptor_.get_executor(),
              beast::bind_front_handler(&listener::on_stop,
                                        shared_from_this()));
  }

  unsigned short port() const {
    return port_;
  }

private:
  void do_accept() {
    if (registry_->stopping())
      return;
    // Each connection gets its own strand: no locks in the session.
    acceptor_.async_accept(net::make_strand(ioc_),
                           beast::bind_front_handler(&listener::on_accept,
                                                     shared_from_this()));
  }

  void on_accept(beast::error_code ec, tcp::socket socket) {
    if (ec) {
      fail(ec, "accept");
      if (ec == net::error::operation_aborted || registry_->stopping())
        return;
      if (ec == net::error::no_descriptors || ec == net::error::no_memory
          || ec == net::error::no_buffer_space) {
        retry_timer_.expires_after(accept_retry_delay);
        // Give the process time to free descriptors instead of spinning.
        retry_timer_.async_wait(beast::bind_front_handler(
          &listener::on_retry, shared_from_this()));
        return;
      }
      return do_accept();
    }
    if (registry_->stopping())
      return;
    if (registry_->size() >= limits_.max_connections) {
      spdlog::debug("http connection limit {} reached; closing a new one",
                    limits_.max_connections);
      beast::error_code ignored;
      socket.close(ignored);
    } else {
      std::make_shared<http_session>(std::move(socket), router_, limits_,
                                     registry_, metrics_)
        ->run();
    }
    do_accept();
  }

  void on_retry(beast::error_code ec) {
    if (ec)
      return fail(ec, "accept retry");
    do_accept();
  }

  void on_stop() {
    beast::error_code ignored;
    acceptor_.close(ignored);
    retry_timer_.cancel();
    for (auto& weak : registry_->snapshot())
      if (auto session = weak.lock())
        session->shutdown();
  }

  void fail(beast::error_code ec, const char* what) const {
    if (ec == net::error::operation_aborted)
      return;
    spdlog::warn("http {} on {}: {}", what, to_text(endpoint_), ec.message());
  }

  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  net::steady_timer retry_timer_;
  const tcp::endpoint endpoint_;
  std::shared_ptr<const router> router_;
  const server_limits limits_;
  std::shared_ptr<const request_metrics> metrics_;
  std::shared_ptr<session_registry> registry_;
  unsigned short port_ = 0;
};

server::server(net::io_context& ioc, tcp::endpoint endpoint,
               std::shared_ptr<const router> routes, server_limits limits,
               std::shared_ptr<const request_metrics> metrics)
  : listener_(std::make_shared<listener>(ioc, std::move(endpoint),
                                         std::move(routes), limits,
                                         std::move(metrics))) {
}

server::~server() {
  stop();
}

void server::start() {
  listener_->open();
  listener_->run();
}

unsigned short server::port() const {
  return listener_->port();
}

void server::stop() {
  listener_->stop();
}

} // namespace idclaim::http
