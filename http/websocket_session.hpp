#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <string>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "http/api_context.hpp"
#include "http/live_set.hpp"
#include "http/request.hpp"

namespace idclaim::http {

class websocket_session;

/// Every live WebSocket of a server, for shutdown and for the metrics.
using websocket_set = live_set<websocket_session>;

/// Limits of live-event connections.
struct websocket_limits {
  /// No frame (and no pong to our pings) for this long: the socket closes.
  std::chrono::seconds idle_timeout{60};
  /// Frames queued for a client that does not read; one more and the
  /// client is cut off, so a slow reader never makes memory grow.
  std::size_t max_queued_frames = 64;
  /// The largest message a client may send us (we expect none).
  std::size_t max_message_bytes = 1024;
  /// The kernel send buffer of each socket (0: the system's default); at
  /// 10,000 idle sockets this is most of their memory.
  std::size_t send_buffer_bytes = 0;
};

/// One `GET /api/v1/events` connection (API.md "Live events"). It
/// authenticates the upgrade request by session (cookie or `?token=`),
/// accepts the WebSocket, and subscribes to its account's actor, which is
/// the one source of its frames. One write queue, never two writes in
/// flight; reads only to see control frames and the client's close.
class websocket_session
  : public std::enable_shared_from_this<websocket_session> {
public:
  websocket_session(boost::beast::tcp_stream&& stream, request_ptr upgrade,
                    api_context_ptr ctx, websocket_limits limits);
  ~websocket_session();

  /// Authenticates, then accepts or refuses the upgrade. Call once, on the
  /// connection's strand.
  void run();

  /// Queues a text frame; thread-safe.
  void send(std::shared_ptr<const std::string> frame);

  /// Closes with a close frame (`going_away` on shutdown, `normal` when the
  /// session ended); thread-safe.
  void close(boost::beast::websocket::close_code code, std::string why);

private:
  void refuse(response res);
  void on_refused(boost::beast::error_code ec, std::size_t);
  void accept(account_id account, std::string session_digest);
  void on_accept(boost::beast::error_code ec);
  void do_read();
  void on_read(boost::beast::error_code ec, std::size_t bytes);
  void on_send(std::shared_ptr<const std::string> frame);
  void do_write();
  void on_write(boost::beast::error_code ec, std::size_t bytes);
  void on_close_request(boost::beast::websocket::close_code code,
                        std::string why);
  void on_closed(boost::beast::error_code ec);
  void fail(boost::beast::error_code ec, const char* what);

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  request_ptr upgrade_;
  api_context_ptr ctx_;
  websocket_limits limits_;
  boost::beast::flat_buffer buffer_;
  std::deque<std::shared_ptr<const std::string>> queue_;
  std::uint64_t id_ = 0;   ///< in ctx_->sockets, and as subscriber id
  account_id account_ = 0; ///< 0 until accepted
  bool open_ = false;      ///< accepted and not closing
  bool closing_ = false;   ///< a close frame is due or being sent
  boost::beast::websocket::close_reason close_reason_;
  std::shared_ptr<response> refusal_;
};

/// The upgrade hook of `/api/v1/events`: hands the stream to a new
/// websocket_session.
upgrade_fn events_upgrade(api_context_ptr ctx, websocket_limits limits);

} // namespace idclaim::http
