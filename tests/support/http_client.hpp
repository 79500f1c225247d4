#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/verb.hpp>

#include "http/response.hpp"

namespace idclaim::testing {

/// A blocking HTTP/1.1 client for tests. It keeps one connection open across
/// calls and never reconnects, so a second answer proves keep-alive. Every
/// call gives up after the timeout (the socket I/O is driven by a private
/// io_context), so a server bug fails a test instead of hanging it.
/// @throws boost::system::system_error when connecting, writing or reading
///         fails or times out.
struct http_client {
  /// Connects to `host` (an IP address) and `port`.
  http_client(std::string host, unsigned short port,
              std::chrono::seconds timeout = std::chrono::seconds{10});

  /// Sends one request and reads its response. Without a Content-Type in
  /// `headers`, a non-empty body is sent as application/json.
  http::response
  request(boost::beast::http::verb method, std::string target,
          std::string body = {},
          std::vector<std::pair<std::string, std::string>> headers = {});

  /// Writes `bytes` as they are, e.g. a header with no body after it.
  void write_raw(std::string_view bytes);

  /// Reads one response.
  http::response read_response();

  /// Whether the server has closed the connection: a read sees end of
  /// stream or a reset (rather than data or a timeout).
  bool closed_by_peer();

private:
  /// Reads one response; `skip_body` for the answer to HEAD.
  http::response read(bool skip_body);

  template <class Start>
  boost::beast::error_code run(Start&& start);

  std::string host_;
  std::chrono::seconds timeout_;
  boost::asio::io_context ioc_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
};

/// Connects to 127.0.0.1:`port`, writes `bytes`, then reads until the server
/// closes the connection (or 10 s pass) and returns everything read. For
/// requests that are not valid HTTP.
std::string raw_exchange(unsigned short port, std::string bytes);

/// Parses a whole response out of `raw` bytes.
/// @throws std::runtime_error when `raw` holds no complete response.
http::response parse_response(std::string_view raw);

} // namespace idclaim::testing
