#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <nlohmann/json.hpp>

namespace idclaim::testing {

/// A blocking WebSocket client for tests of `/api/v1/events`. Every call
/// gives up after its timeout, so a server bug fails a test instead of
/// hanging it.
class ws_client {
public:
  /// Opens the TCP connection; `receive_buffer` > 0 shrinks the socket's
  /// receive buffer first (for a client that does not read).
  ws_client(unsigned short port, std::size_t receive_buffer = 0);

  /// Performs the handshake on `target` with `headers`. Returns the HTTP
  /// status of a refusal, or 101 when the socket is open.
  unsigned handshake(const std::string& target,
                     std::vector<std::pair<std::string, std::string>> headers
                     = {});

  /// The next frame as JSON, or nothing when none arrives in `timeout` or
  /// the server closed.
  std::optional<nlohmann::json> next(std::chrono::milliseconds timeout
                                     = std::chrono::seconds{5});

  /// Reads until the server closes; returns the close code (0 when the
  /// connection dropped without a close frame), or nothing on timeout.
  std::optional<int> wait_closed(std::chrono::milliseconds timeout
                                 = std::chrono::seconds{10});

  /// Sends our close frame and waits for the server's.
  void close();

private:
  template <class Start>
  boost::beast::error_code run(Start&& start, std::chrono::milliseconds limit);

  boost::asio::io_context ioc_;
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::flat_buffer buffer_;
  unsigned short port_;
};

/// The frames that arrive first on a fresh socket: until both an "inbox"
/// and an "account" frame were seen, or `timeout`.
struct first_frames {
  std::optional<int64_t> unread;
  std::optional<std::string> status;
};

first_frames read_first_frames(ws_client& c, std::chrono::milliseconds timeout
                                             = std::chrono::seconds{5});

} // namespace idclaim::testing
