#pragma once

#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/verb.hpp>
#include <nlohmann/json.hpp>

namespace idclaim::app {

/// One answer of the service to the demo seeder.
struct demo_reply {
  unsigned status = 0;
  nlohmann::json body; ///< the parsed body; null when it was not JSON
};

/// A blocking HTTP/1.1 client over one keep-alive connection to the
/// in-process service on 127.0.0.1. `idclaim demo` seeds through the real
/// API with it, so the demo data passes every rule a user's data passes.
/// @throws boost::system::system_error when connecting, writing or reading
///         fails or takes longer than 30 seconds.
class demo_client {
public:
  /// Connects to 127.0.0.1:`port`.
  explicit demo_client(unsigned short port);

  /// Sends `body` as JSON (nothing for null) with `token` as the bearer.
  demo_reply json(boost::beast::http::verb method, const std::string& target,
                  const nlohmann::json& body = nullptr,
                  const std::string& token = {});

  /// Sends `body` as it is with `content_type`.
  demo_reply raw(boost::beast::http::verb method, const std::string& target,
                 std::string body, const std::string& content_type,
                 const std::string& token = {});

private:
  boost::asio::io_context ioc_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
};

} // namespace idclaim::app
