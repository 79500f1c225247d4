#include "bench/sync_client.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/system/system_error.hpp>

namespace idclaim::bench {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

std::string json_answer::error_code() const {
  if (body.is_object() && body.contains("error") && body["error"].is_object())
    return body["error"].value("code", "");
  return {};
}

sync_client::sync_client(std::string host, unsigned short port,
                         std::chrono::seconds timeout)
  : host_(std::move(host)), port_(port), timeout_(timeout), stream_(ioc_) {}

namespace {

/// Runs one asynchronous operation on `ioc` to completion; the stream's
/// deadline bounds it.
template <class Start>
beast::error_code run_one(net::io_context& ioc, Start&& start) {
  beast::error_code result = net::error::would_block;
  start([&result](beast::error_code ec, auto&&...) { result = ec; });
  ioc.restart();
  ioc.run();
  return result;
}

void throw_if(beast::error_code ec, const char* what) {
  if (ec)
    throw boost::system::system_error(ec, what);
}

} // namespace

void sync_client::connect() {
  beast::error_code ignored;
  stream_.socket().close(ignored);
  buffer_.clear();
  tcp::endpoint endpoint{net::ip::make_address(host_), port_};
  stream_.expires_after(timeout_);
  throw_if(
    run_one(ioc_, [&](auto done) { stream_.async_connect(endpoint, done); }),
    "connect");
  stream_.socket().set_option(tcp::no_delay(true));
  connected_ = true;
}

http_answer sync_client::exchange(const request_spec& spec) {
  bhttp::request<bhttp::string_body> req{spec.method, spec.target, 11};
  req.set(bhttp::field::host, host_ + ":" + std::to_string(port_));
  req.set(bhttp::field::user_agent, "idclaim-bench");
  if (!spec.token.empty())
    req.set(bhttp::field::authorization, "Bearer " + spec.token);
  if (!spec.body.empty()) {
    req.set(bhttp::field::content_type, spec.content_type);
    req.body() = spec.body;
  }
  req.keep_alive(true);
  req.prepare_payload();
  stream_.expires_after(timeout_);
  throw_if(
    run_one(ioc_, [&](auto done) { bhttp::async_write(stream_, req, done); }),
    "write");
  http_answer res;
  throw_if(
    run_one(ioc_,
            [&](auto done) { bhttp::async_read(stream_, buffer_, res, done); }),
    "read");
  if (!res.keep_alive())
    connected_ = false;
  return res;
}

http_answer sync_client::call(const request_spec& spec) {
  bool fresh = !connected_;
  if (fresh)
    connect();
  try {
    return exchange(spec);
  } catch (const boost::system::system_error& e) {
    // A kept-alive connection the server closed meanwhile: retry once. A
    // timeout is not retried, since the server may have acted on it.
    if (fresh || e.code() == beast::error::timeout)
      throw;
    connect();
    return exchange(spec);
  }
}

json_answer sync_client::json(bhttp::verb method, const std::string& target,
                              const nlohmann::json& body,
                              const std::string& token) {
  request_spec spec;
  spec.method = method;
  spec.target = target;
  spec.token = token;
  if (!body.is_null())
    spec.body = body.dump();
  json_answer out;
  out.raw = call(spec);
  out.status = out.raw.result_int();
  out.body = nlohmann::json::parse(out.raw.body(), nullptr, false);
  if (out.body.is_discarded())
    out.body = nullptr;
  return out;
}

} // namespace idclaim::bench
