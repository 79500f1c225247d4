#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>

#include "domain/errors.hpp"
#include "http/live_set.hpp"
#include "http/request.hpp"
#include "http/request_metrics.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "http/server.hpp"

namespace idclaim::http {

class http_session;

/// The live sessions of one server, so that stopping can reach them, plus
/// the server's stop flag. Shared by the listener and every session.
class session_registry : public live_set<http_session> {
public:
  /// Sets the stop flag; returns false if it was already set.
  bool begin_stop() {
    return !stopping_.exchange(true);
  }

  /// Whether the server is stopping.
  bool stopping() const {
    return stopping_.load();
  }

  /// Counts one more connection from `ip` unless `limit` (> 0) are open
  /// already; returns whether it was counted. Thread-safe.
  bool admit(const std::string& ip, std::size_t limit);

  /// Forgets one connection from `ip` that admit() counted. Thread-safe.
  void release(const std::string& ip);

private:
  std::atomic<bool> stopping_{false};
  std::mutex per_ip_mtx_;
  std::unordered_map<std::string, std::size_t> per_ip_;
};

/// Serves the requests of one connection, one at a time, on the strand of
/// its socket. Lives as long as an I/O operation or an unanswered reply_fn
/// holds it.
class http_session : public std::enable_shared_from_this<http_session> {
public:
  /// Takes over an accepted `socket` (whose executor is its strand);
  /// counts its requests in `metrics` unless that is null.
  http_session(boost::asio::ip::tcp::socket&& socket,
               std::shared_ptr<const router> routes,
               const server_limits& limits,
               std::shared_ptr<session_registry> registry,
               std::shared_ptr<const request_metrics> metrics = nullptr);

  /// Leaves the registry; the socket closes with the stream.
  ~http_session();

  http_session(const http_session&) = delete;
  http_session& operator=(const http_session&) = delete;

  /// Registers the session and starts reading the first request.
  void run();

  /// Asks the session to end once its in-flight request (if any) is
  /// answered; an idle connection closes at once. Thread-safe.
  void shutdown();

private:
  /// What the session is doing, to know what stop() may interrupt.
  enum class phase { reading_header, reading_body, handling, writing,
                     lingering, done };

  // -- reading ---------------------------------------------------------------

  void do_read_header();
  void on_read_header(boost::beast::error_code ec, std::size_t bytes);
  void on_write_continue(boost::beast::error_code ec, std::size_t bytes);
  void do_read_body();
  void on_read_body(boost::beast::error_code ec, std::size_t bytes);
  void hand_off_upgrade();

  // -- handling --------------------------------------------------------------

  void dispatch();
  reply_fn make_reply_fn();
  void on_reply(std::uint64_t serial, response res);

  // -- writing and closing ---------------------------------------------------

  void send(response res, bool close, bool linger = false);
  void send_error(const idclaim::problem& p);
  void on_write(boost::beast::error_code ec, std::size_t bytes);
  void do_close();
  void do_linger_close();
  void on_linger(boost::beast::error_code ec, std::size_t bytes);
  void on_shutdown();
  void log_request(unsigned status) const;
  void fail(boost::beast::error_code ec, const char* what) const;

  // -- connection state ------------------------------------------------------

  boost::beast::tcp_stream stream_;
  const boost::asio::any_io_executor strand_;
  boost::beast::flat_buffer buffer_;
  std::shared_ptr<const router> router_;
  const server_limits limits_;
  std::shared_ptr<session_registry> registry_;
  std::shared_ptr<const request_metrics> metrics_;
  std::uint64_t id_ = 0;
  std::string remote_ip_;
  bool admitted_ = false;
  phase phase_ = phase::reading_header;
  std::size_t drained_ = 0;

  // -- per-request state -----------------------------------------------------

  std::optional<boost::beast::http::request_parser<boost::beast::http::empty_body>>
    header_parser_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>>
    body_parser_;
  std::optional<boost::beast::http::response<boost::beast::http::empty_body>>
    continue_;
  std::optional<response> res_;
  request_ptr req_;
  const route_entry* route_ = nullptr;
  std::optional<idclaim::problem> early_error_;
  std::vector<boost::beast::http::verb> allowed_;
  std::uint64_t serial_ = 0;
  std::chrono::steady_clock::time_point started_;
  std::string method_ = "-";
  unsigned version_ = 11;
  bool keep_alive_ = false;
  bool head_ = false;
  bool close_after_write_ = false;
  bool linger_after_write_ = false;
};

} // namespace idclaim::http
