#include "tests/support/http_client.hpp"

#include <functional>
#include <stdexcept>

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/system/system_error.hpp>

namespace idclaim::testing {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

void throw_if(beast::error_code ec, const char* what) {
  if (ec)
    throw boost::system::system_error(ec, what);
}

} // namespace

http_client::http_client(std::string host, unsigned short port,
                         std::chrono::seconds timeout)
  : host_(std::move(host)), timeout_(timeout), stream_(ioc_) {
  tcp::endpoint endpoint{net::ip::make_address(host_), port};
  throw_if(run([this, &endpoint](auto done) {
             stream_.async_connect(endpoint, [done](beast::error_code ec) {
               done(ec, 0);
             });
           }),
           "connect");
}

template <class Start>
beast::error_code http_client::run(Start&& start) {
  beast::error_code result = net::error::would_block;
  stream_.expires_after(timeout_);
  start([&result](beast::error_code ec, std::size_t) { result = ec; });
  ioc_.restart();
  ioc_.run();
  return result;
}

http::response
http_client::request(bhttp::verb method, std::string target, std::string body,
                     std::vector<std::pair<std::string, std::string>> headers) {
  bhttp::request<bhttp::string_body> req{method, target, 11};
  req.set(bhttp::field::host, host_);
  req.set(bhttp::field::user_agent, "idclaim-test");
  for (auto& [name, value] : headers)
    req.insert(name, value);
  if (!body.empty() && req.find(bhttp::field::content_type) == req.end())
    req.set(bhttp::field::content_type, "application/json");
  req.body() = std::move(body);
  req.prepare_payload();
  throw_if(run([this, &req](auto done) {
             bhttp::async_write(stream_, req, done);
           }),
           "write request");
  return read(method == bhttp::verb::head);
}

void http_client::write_raw(std::string_view bytes) {
  throw_if(run([this, bytes](auto done) {
             net::async_write(stream_, net::buffer(bytes.data(), bytes.size()),
                              done);
           }),
           "write raw bytes");
}

http::response http_client::read_response() {
  return read(false);
}

http::response http_client::read(bool skip_body) {
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(boost::none);
  parser.skip(skip_body);
  throw_if(run([this, &parser](auto done) {
             bhttp::async_read(stream_, buffer_, parser, done);
           }),
           "read response");
  return parser.release();
}

bool http_client::closed_by_peer() {
  if (buffer_.size() != 0)
    return false;
  char byte = 0;
  auto ec = run([this, &byte](auto done) {
    stream_.async_read_some(net::buffer(&byte, 1), done);
  });
  return ec == net::error::eof || ec == net::error::connection_reset;
}

std::string raw_exchange(unsigned short port, std::string bytes) {
  net::io_context ioc;
  beast::tcp_stream stream{ioc};
  std::string received;
  char chunk[4096];
  beast::error_code result;
  std::function<void(beast::error_code, std::size_t)> on_read;
  on_read = [&](beast::error_code ec, std::size_t n) {
    received.append(chunk, n);
    if (ec) {
      result = ec;
      return;
    }
    stream.async_read_some(net::buffer(chunk), on_read);
  };
  stream.expires_after(std::chrono::seconds{10});
  stream.async_connect(
    tcp::endpoint{net::ip::make_address("127.0.0.1"), port},
    [&](beast::error_code ec) {
      if (ec) {
        result = ec;
        return;
      }
      net::async_write(stream, net::buffer(bytes),
                       [&](beast::error_code ec, std::size_t) {
                         // A server that closes early may reset the rest
                         // of our write; what it answered is still read.
                         if (ec && ec != net::error::connection_reset
                             && ec != net::error::broken_pipe)
                           result = ec;
                         else
                           stream.async_read_some(net::buffer(chunk), on_read);
                       });
    });
  ioc.run();
  if (result != net::error::eof && result != net::error::connection_reset)
    throw boost::system::system_error(result, "raw exchange");
  return received;
}

http::response parse_response(std::string_view raw) {
  bhttp::response_parser<bhttp::string_body> parser;
  parser.eager(true);
  parser.body_limit(boost::none);
  beast::error_code ec;
  auto used = parser.put(net::buffer(raw.data(), raw.size()), ec);
  if (!ec && !parser.is_done())
    parser.put_eof(ec);
  if (ec || !parser.is_done() || used == 0)
    throw std::runtime_error("no complete HTTP response in "
                             + std::to_string(raw.size()) + " bytes");
  return parser.release();
}

} // namespace idclaim::testing
