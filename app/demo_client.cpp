#include "app/demo_client.hpp"

#include <chrono>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/system/system_error.hpp>

namespace idclaim::app {

namespace bhttp = boost::beast::http;
namespace net = boost::asio;

namespace {

/// Runs `start` (an async operation given its completion handler) on
/// `ioc` until it completes; the stream's expiry bounds the wait.
template <class Start>
void run_op(net::io_context& ioc, boost::beast::tcp_stream& stream,
            const char* what, Start&& start) {
  boost::beast::error_code result = net::error::would_block;
  stream.expires_after(std::chrono::seconds{30});
  start([&result](boost::beast::error_code ec, auto&&...) { result = ec; });
  ioc.restart();
  ioc.run();
  if (result)
    throw boost::system::system_error(result, what);
}

} // namespace

demo_client::demo_client(unsigned short port) : stream_(ioc_) {
  net::ip::tcp::endpoint endpoint{net::ip::make_address("127.0.0.1"), port};
  run_op(ioc_, stream_, "connect",
         [&](auto done) { stream_.async_connect(endpoint, done); });
}

demo_reply demo_client::json(bhttp::verb method, const std::string& target,
                             const nlohmann::json& body,
                             const std::string& token) {
  return raw(method, target, body.is_null() ? std::string{} : body.dump(),
             "application/json", token);
}

demo_reply demo_client::raw(bhttp::verb method, const std::string& target,
                            std::string body, const std::string& content_type,
                            const std::string& token) {
  bhttp::request<bhttp::string_body> req{method, target, 11};
  req.set(bhttp::field::host, "127.0.0.1");
  req.set(bhttp::field::user_agent, "idclaim-demo");
  if (!token.empty())
    req.set(bhttp::field::authorization, "Bearer " + token);
  if (!body.empty())
    req.set(bhttp::field::content_type, content_type);
  req.body() = std::move(body);
  req.prepare_payload();
  run_op(ioc_, stream_, "write request",
         [&](auto done) { bhttp::async_write(stream_, req, done); });
  bhttp::response<bhttp::string_body> res;
  run_op(ioc_, stream_, "read response",
         [&](auto done) { bhttp::async_read(stream_, buffer_, res, done); });
  demo_reply out;
  out.status = res.result_int();
  out.body = nlohmann::json::parse(res.body(), nullptr, false);
  if (out.body.is_discarded())
    out.body = nullptr;
  return out;
}

} // namespace idclaim::app
