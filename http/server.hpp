#pragma once

#include <chrono>
#include <cstddef>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "http/request_metrics.hpp"
#include "http/router.hpp"

namespace idclaim::http {

/// Limits every connection of a server shares.
struct server_limits {
  /// The largest request line plus header fields accepted; more gets
  /// 400 BAD_REQUEST and the connection closed.
  std::size_t header_limit = 16 * 1024;
  /// How long the whole request header may take to arrive, counted from
  /// the connection's start or the previous answer; also how long an idle
  /// keep-alive connection stays open. Bounds slowloris clients.
  std::chrono::milliseconds header_timeout{10000};
  /// How long reading a whole body, or writing a whole answer, may take.
  std::chrono::milliseconds read_timeout{30000};
  /// Connections served at once; further ones are closed on accept. Sockets
  /// handed over to WebSocket sessions no longer count.
  std::size_t max_connections = 10000;
  /// Connections served at once from one client IP (0: no limit); further
  /// ones are closed on accept. WebSocket sockets no longer count either
  /// (they are bounded per account).
  std::size_t max_connections_per_ip = 0;
  /// Ceiling on every route's body limit.
  std::size_t max_body_bytes = 32 * 1024 * 1024;
};

/// An HTTP/1.1 server: accepts connections and serves each on its own strand
/// of the io_context, dispatching requests through the router.
class server {
public:
  /// Prepares a server for `endpoint`; nothing is bound until start().
  /// Every answered request is counted in `metrics` when it is not null.
  server(boost::asio::io_context& ioc, boost::asio::ip::tcp::endpoint endpoint,
         std::shared_ptr<const router> routes, server_limits limits = {},
         std::shared_ptr<const request_metrics> metrics = nullptr);

  /// Stops accepting (see stop()).
  ~server();

  server(const server&) = delete;
  server& operator=(const server&) = delete;

  /// Binds, listens and starts accepting; call once, before or while the
  /// io_context runs.
  /// @throws std::runtime_error naming the endpoint when it cannot listen.
  void start();

  /// The port actually bound (useful after binding port 0). Valid after
  /// start().
  unsigned short port() const;

  /// Stops accepting and closes idle connections; a connection with a
  /// request in flight finishes it (answered with `Connection: close`).
  /// Thread-safe, idempotent and non-blocking: the io_context's run()
  /// returns once the last connection is gone.
  void stop();

private:
  class listener;
  std::shared_ptr<listener> listener_;
};

} // namespace idclaim::http
