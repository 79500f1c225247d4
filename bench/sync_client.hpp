#pragma once

#include <chrono>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/verb.hpp>
#include <nlohmann/json.hpp>

#include "bench/load_client.hpp"

namespace idclaim::bench {

/// An answer with its body parsed as JSON (null when it is not JSON).
struct json_answer {
  unsigned status = 0;
  nlohmann::json body;
  http_answer raw;

  /// error.code of an error body, or "".
  std::string error_code() const;
};

/// A blocking keep-alive HTTP client for setting scenarios up (accounts,
/// logins, imports) and for probes; not for measuring. Reconnects when the
/// server has closed the connection. Every call gives up after the timeout.
class sync_client {
public:
  sync_client(std::string host, unsigned short port,
              std::chrono::seconds timeout = std::chrono::seconds{30});

  /// Sends `spec` and reads the answer.
  /// @throws boost::system::system_error on connect/write/read failure.
  http_answer call(const request_spec& spec);

  /// Sends `body` as JSON (nothing when null) and parses the JSON answer.
  /// @throws boost::system::system_error as call() does.
  json_answer json(boost::beast::http::verb method, const std::string& target,
                   const nlohmann::json& body = nullptr,
                   const std::string& token = {});

private:
  void connect();
  http_answer exchange(const request_spec& spec);

  std::string host_;
  unsigned short port_;
  std::chrono::seconds timeout_;
  boost::asio::io_context ioc_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  bool connected_ = false;
};

} // namespace idclaim::bench
