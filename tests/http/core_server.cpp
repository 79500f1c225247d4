#define CAF_SUITE http.core_server

#include <caf/test/unit_test.hpp>

#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include "domain/errors.hpp"
#include "http/json_body.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "tests/support/http_client.hpp"

using namespace idclaim;
using idclaim::testing::http_client;
using json = nlohmann::json;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using verb = bhttp::verb;

namespace {

/// Keeps every log line's text, so tests can check what gets logged.
class log_capture : public spdlog::sinks::base_sink<std::mutex> {
public:
  std::vector<std::string> lines() {
    std::lock_guard<std::mutex> guard{mutex_};
    return lines_;
  }

  bool any_line_contains(const std::string& text) {
    for (auto& line : lines())
      if (line.find(text) != std::string::npos)
        return true;
    return false;
  }

protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    lines_.emplace_back(msg.payload.data(), msg.payload.size());
  }

  void flush_() override {
    // nop
  }

private:
  std::vector<std::string> lines_;
};

/// The error object of a response body, or null when there is none.
json error_of(const http::response& res) {
  auto body = json::parse(res.body(), nullptr, false);
  if (!body.is_object() || !body.contains("error"))
    return nullptr;
  return body["error"];
}

/// The error code of a response body, or "" when there is none.
std::string code_of(const http::response& res) {
  auto error = error_of(res);
  return error.is_object() ? error.value("code", "") : "";
}

std::string header_of(const http::response& res, bhttp::field name) {
  return std::string{res[name]};
}

struct fixture {
  net::io_context ioc;
  std::shared_ptr<log_capture> sink = std::make_shared<log_capture>();
  std::shared_ptr<spdlog::logger> previous_logger = spdlog::default_logger();
  std::mutex helpers_mtx;
  std::vector<std::thread> helpers;
  std::promise<http::reply_fn> parked;
  std::unique_ptr<http::server> srv;
  std::future<void> io_done;
  std::thread io_thread;
  unsigned short port = 0;

  fixture() {
    auto logger = std::make_shared<spdlog::logger>("test", sink);
    logger->set_level(spdlog::level::info);
    spdlog::set_default_logger(logger);
    auto routes = std::make_shared<http::router>();
    routes->add(verb::get, "/api/v1/items/{id}",
                [](http::request_ptr req, http::reply_fn reply) {
                  reply(http::json_response(200, {{"route", req->route},
                                                  {"params", req->params},
                                                  {"query", req->query},
                                                  {"ip", req->remote_ip}}));
                });
    routes->add(verb::post, "/api/v1/echo",
                [](http::request_ptr req, http::reply_fn reply) {
                  auto body = http::parse_json_object(*req);
                  if (auto p = std::get_if<problem>(&body))
                    return reply(http::error_response(*p));
                  reply(http::json_response(200, std::get<json>(body)));
                });
    routes->add(
      verb::post, "/api/v1/small",
      [](http::request_ptr req, http::reply_fn reply) {
        reply(http::json_response(200, {{"size", req->msg.body().size()}}));
      },
      http::route_options{16, false, {}});
    routes->add(verb::get, "/api/v1/async",
                [this](http::request_ptr, http::reply_fn reply) {
                  std::lock_guard<std::mutex> guard{helpers_mtx};
                  helpers.emplace_back([reply] {
                    reply(http::json_response(200, {{"from", "helper"}}));
                    // Only the first reply counts.
                    reply(http::json_response(500, {{"from", "twice"}}));
                  });
                });
    routes->add(verb::get, "/api/v1/throws",
                [](http::request_ptr, http::reply_fn) {
                  throw std::runtime_error("secret-detail at /srv/db.cpp");
                });
    routes->add(verb::get, "/api/v1/drops",
                [](http::request_ptr, http::reply_fn) {
                  // Never replies: the connection must close.
                });
    routes->add(verb::get, "/api/v1/park",
                [this](http::request_ptr, http::reply_fn reply) {
                  parked.set_value(std::move(reply));
                });
    http::route_options events{0, true, {}};
    events.on_upgrade = [](beast::tcp_stream&& stream,
                           http::request_ptr req) {
      auto taken = std::make_shared<beast::tcp_stream>(std::move(stream));
      auto text = std::make_shared<std::string>(
        "taken over " + req->route + " token=" + req->query["token"]
        + " key=" + std::string{req->msg["Sec-WebSocket-Key"]});
      net::async_write(*taken, net::buffer(*text),
                       [taken, text](beast::error_code, std::size_t) {
                         beast::error_code ignored;
                         taken->socket().shutdown(
                           net::ip::tcp::socket::shutdown_send, ignored);
                       });
    };
    routes->add(
      verb::get, "/api/v1/events",
      [](http::request_ptr, http::reply_fn reply) {
        reply(http::json_response(426, {{"upgrade", "websocket"}}));
      },
      std::move(events));
    http::server_limits limits;
    srv = std::make_unique<http::server>(
      ioc, net::ip::tcp::endpoint{net::ip::make_address("127.0.0.1"), 0},
      routes, limits);
    srv->start();
    port = srv->port();
    std::packaged_task<void()> run_io{[this] { ioc.run(); }};
    io_done = run_io.get_future();
    io_thread = std::thread{std::move(run_io)};
  }

  ~fixture() {
    {
      std::lock_guard<std::mutex> guard{helpers_mtx};
      for (auto& helper : helpers)
        helper.join();
    }
    srv->stop();
    // With the acceptor closed and every client gone, run() returns.
    if (io_done.wait_for(std::chrono::seconds{10})
        != std::future_status::ready) {
      CAF_CHECK(!"io_context still busy 10 s after stop()");
      ioc.stop();
    }
    io_thread.join();
    srv.reset();
    spdlog::set_default_logger(previous_logger);
  }

  http_client client() {
    return http_client{"127.0.0.1", port};
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(server_tests, fixture)

CAF_TEST(the port is bound and a second server on it fails clearly) {
  CAF_CHECK_NOT_EQUAL(port, 0u);
  net::io_context other;
  http::server clash{other,
                     net::ip::tcp::endpoint{net::ip::make_address("127.0.0.1"),
                                            port},
                     std::make_shared<http::router>()};
  std::string message;
  try {
    clash.start();
  } catch (const std::runtime_error& e) {
    message = e.what();
  }
  CAF_MESSAGE("bind failure: " << message);
  CAF_CHECK(message.find("127.0.0.1:" + std::to_string(port))
            != std::string::npos);
}

CAF_TEST(keep alive serves two requests on one connection) {
  auto c = client();
  auto first = c.request(verb::get, "/api/v1/items/1");
  CAF_CHECK_EQUAL(first.result_int(), 200u);
  CAF_CHECK(first.keep_alive());
  CAF_CHECK_EQUAL(header_of(first, bhttp::field::server), "idclaim");
  CAF_CHECK_EQUAL(header_of(first, bhttp::field::content_type),
                  "application/json; charset=utf-8");
  // The client never reconnects: a second answer proves keep-alive.
  auto second = c.request(verb::post, "/api/v1/echo", R"({"a":1})");
  CAF_CHECK_EQUAL(second.result_int(), 200u);
  CAF_CHECK_EQUAL(second.body(), R"({"a":1})");
  CAF_CHECK(second.keep_alive());
}

CAF_TEST(connection close and HTTP 1.0 end the connection) {
  auto c = client();
  auto res = c.request(verb::get, "/api/v1/items/1", {},
                       {{"Connection", "close"}});
  CAF_CHECK_EQUAL(res.result_int(), 200u);
  CAF_CHECK(!res.keep_alive());
  CAF_CHECK(c.closed_by_peer());
  auto old = client();
  old.write_raw("GET /api/v1/items/2 HTTP/1.0\r\n\r\n");
  auto res10 = old.read_response();
  CAF_CHECK_EQUAL(res10.result_int(), 200u);
  CAF_CHECK_EQUAL(res10.version(), 10u);
  CAF_CHECK(old.closed_by_peer());
}

CAF_TEST(path and query parameters reach the handler decoded) {
  auto c = client();
  auto res = c.request(verb::get, "/api/v1/items/a%2Fb%20c?x=1&y=a+b%26&y=2");
  CAF_REQUIRE_EQUAL(res.result_int(), 200u);
  auto body = json::parse(res.body());
  CAF_CHECK_EQUAL(body["route"], "/api/v1/items/{id}");
  CAF_CHECK_EQUAL(body["params"].dump(), R"({"id":"a/b c"})");
  CAF_CHECK_EQUAL(body["query"].dump(), R"({"x":"1","y":"a b&"})");
  CAF_CHECK_EQUAL(body["ip"], "127.0.0.1");
  auto bad = c.request(verb::get, "/api/v1/items/1?q=%zz");
  CAF_CHECK_EQUAL(bad.result_int(), 400u);
  CAF_CHECK_EQUAL(code_of(bad), "BAD_REQUEST");
  CAF_CHECK(bad.keep_alive());
}

CAF_TEST(unknown paths answer 404 and other methods 405) {
  auto c = client();
  auto missing = c.request(verb::get, "/api/v1/nothing/here");
  CAF_CHECK_EQUAL(missing.result_int(), 404u);
  json expected = {{"error",
                    {{"code", "NOT_FOUND"},
                     {"message", std::string{info(errc::not_found).message}},
                     {"field", nullptr}}}};
  CAF_CHECK_EQUAL(json::parse(missing.body()).dump(), expected.dump());
  CAF_CHECK(missing.keep_alive());
  auto wrong = c.request(verb::delete_, "/api/v1/items/1");
  CAF_CHECK_EQUAL(wrong.result_int(), 405u);
  CAF_CHECK_EQUAL(code_of(wrong), "METHOD_NOT_ALLOWED");
  CAF_CHECK(error_of(wrong)["field"].is_null());
  CAF_CHECK_EQUAL(json::parse(wrong.body()).size(), 1u);
  CAF_CHECK_EQUAL(header_of(wrong, bhttp::field::allow), "GET");
  // HEAD gets the length of the error body but not the body.
  auto head = c.request(verb::head, "/api/v1/items/1");
  CAF_CHECK_EQUAL(head.result_int(), 405u);
  CAF_CHECK(head.body().empty());
  CAF_CHECK_NOT_EQUAL(header_of(head, bhttp::field::content_length), "0");
  // A body sent to a missing route is read and the connection kept.
  auto posted = c.request(verb::post, "/api/v1/nothing", R"({"x":1})");
  CAF_CHECK_EQUAL(posted.result_int(), 404u);
  CAF_CHECK_EQUAL(c.request(verb::get, "/api/v1/items/3").result_int(), 200u);
}

CAF_TEST(json bodies are checked) {
  auto c = client();
  auto broken = c.request(verb::post, "/api/v1/echo", "{\"a\":");
  CAF_CHECK_EQUAL(broken.result_int(), 400u);
  CAF_CHECK_EQUAL(code_of(broken), "BAD_JSON");
  auto text = c.request(verb::post, "/api/v1/echo", "{}",
                        {{"Content-Type", "text/plain"}});
  CAF_CHECK_EQUAL(text.result_int(), 415u);
  CAF_CHECK_EQUAL(code_of(text), "UNSUPPORTED_MEDIA_TYPE");
}

CAF_TEST(an oversized body is refused before it is read) {
  // The header announces 10 MB but only 100 bytes follow: an answer at all
  // shows the server did not wait for (or buffer) the rest.
  auto c = client();
  c.write_raw("POST /api/v1/small HTTP/1.1\r\nHost: t\r\n"
              "Content-Type: application/json\r\n"
              "Content-Length: 10000000\r\n\r\n"
              + std::string(100, 'x'));
  auto res = c.read_response();
  CAF_CHECK_EQUAL(res.result_int(), 413u);
  CAF_CHECK_EQUAL(code_of(res), "BODY_TOO_LARGE");
  CAF_CHECK(!res.keep_alive());
  CAF_CHECK(c.closed_by_peer());
  // A body within the route's 16 bytes is fine.
  auto ok = client();
  auto small = ok.request(verb::post, "/api/v1/small", R"({"a":"b"})");
  CAF_CHECK_EQUAL(small.result_int(), 200u);
  CAF_CHECK_EQUAL(small.body(), R"({"size":9})");
}

CAF_TEST(an oversized chunked body is refused while reading) {
  auto c = client();
  c.write_raw("POST /api/v1/small HTTP/1.1\r\nHost: t\r\n"
              "Content-Type: application/json\r\n"
              "Transfer-Encoding: chunked\r\n\r\n"
              "8\r\n{\"a\":\"bb\r\n"
              "400\r\n"
              + std::string(1024, 'x'));
  auto res = c.read_response();
  CAF_CHECK_EQUAL(res.result_int(), 413u);
  CAF_CHECK_EQUAL(code_of(res), "BODY_TOO_LARGE");
  CAF_CHECK(c.closed_by_peer());
}

CAF_TEST(expect 100-continue is answered before the body) {
  auto c = client();
  c.write_raw("POST /api/v1/small HTTP/1.1\r\nHost: t\r\n"
              "Content-Type: application/json\r\nContent-Length: 2\r\n"
              "Expect: 100-continue\r\n\r\n");
  auto interim = c.read_response();
  CAF_CHECK_EQUAL(interim.result_int(), 100u);
  c.write_raw("{}");
  auto res = c.read_response();
  CAF_CHECK_EQUAL(res.result_int(), 200u);
  CAF_CHECK_EQUAL(res.body(), R"({"size":2})");
  // Too large: refused at once, no 100.
  c.write_raw("POST /api/v1/small HTTP/1.1\r\nHost: t\r\n"
              "Content-Length: 17\r\nExpect: 100-continue\r\n\r\n");
  CAF_CHECK_EQUAL(c.read_response().result_int(), 413u);
  CAF_CHECK(c.closed_by_peer());
}

CAF_TEST(a handler may reply from another thread) {
  auto c = client();
  auto res = c.request(verb::get, "/api/v1/async");
  CAF_CHECK_EQUAL(res.result_int(), 200u);
  CAF_CHECK_EQUAL(res.body(), R"({"from":"helper"})");
  // The ignored second reply left nothing behind on the connection.
  auto next = c.request(verb::get, "/api/v1/items/5");
  CAF_CHECK_EQUAL(next.result_int(), 200u);
  auto body = json::parse(next.body());
  CAF_CHECK_EQUAL(body["params"]["id"], "5");
}

CAF_TEST(a throwing handler answers 500 without details) {
  auto c = client();
  auto res = c.request(verb::get, "/api/v1/throws");
  CAF_CHECK_EQUAL(res.result_int(), 500u);
  auto error = error_of(res);
  CAF_CHECK_EQUAL(error["code"], "INTERNAL");
  CAF_CHECK_EQUAL(error["message"],
                  std::string{info(errc::internal).message});
  CAF_CHECK(error["field"].is_null());
  CAF_CHECK_EQUAL(res.body().find("secret"), std::string::npos);
  CAF_CHECK_EQUAL(res.body().find("runtime_error"), std::string::npos);
  CAF_CHECK_EQUAL(res.body().find("/srv"), std::string::npos);
  CAF_CHECK(sink->any_line_contains("std::runtime_error"));
  CAF_CHECK(sink->any_line_contains("secret-detail"));
  CAF_CHECK_EQUAL(c.request(verb::get, "/api/v1/items/6").result_int(), 200u);
}

CAF_TEST(a dropped reply closes the connection) {
  auto c = client();
  c.write_raw("GET /api/v1/drops HTTP/1.1\r\nHost: t\r\n\r\n");
  CAF_CHECK(c.closed_by_peer());
}

CAF_TEST(a malformed request line gets 400 and a close) {
  auto raw = testing::raw_exchange(port, "THIS IS NOT HTTP\r\n\r\n");
  auto res = testing::parse_response(raw);
  CAF_CHECK_EQUAL(res.result_int(), 400u);
  CAF_CHECK_EQUAL(code_of(res), "BAD_REQUEST");
  CAF_CHECK(!res.keep_alive());
  auto binary = testing::raw_exchange(port, std::string("\x16\x03\x01\x02\x00"
                                                        "\x01\x00\x01\xfc\x03",
                                                        10));
  CAF_CHECK_EQUAL(testing::parse_response(binary).result_int(), 400u);
}

CAF_TEST(a header over the limit gets 400 and a close) {
  auto raw = testing::raw_exchange(port, "GET /api/v1/items/1 HTTP/1.1\r\n"
                                         "Host: t\r\nX-Big: "
                                           + std::string(20 * 1024, 'a')
                                           + "\r\n\r\n");
  auto res = testing::parse_response(raw);
  CAF_CHECK_EQUAL(res.result_int(), 400u);
  CAF_CHECK_EQUAL(code_of(res), "BAD_REQUEST");
  CAF_CHECK(!res.keep_alive());
}

CAF_TEST(log lines name the route pattern and never the target) {
  auto c = client();
  c.request(verb::get, "/api/v1/items/PRIVATE-1?name=PRIVATE-2");
  c.request(verb::get, "/api/v1/PRIVATE-3?name=PRIVATE-4");
  CAF_CHECK(sink->any_line_contains("GET /api/v1/items/{id} 200 "));
  CAF_CHECK(sink->any_line_contains("GET - 404 "));
  CAF_CHECK(sink->any_line_contains("127.0.0.1"));
  CAF_CHECK(!sink->any_line_contains("PRIVATE"));
  for (auto& line : sink->lines())
    CAF_MESSAGE("logged: " << line);
}

CAF_TEST(an upgrade request hands the stream to the route) {
  auto raw = testing::raw_exchange(
    port, "GET /api/v1/events?token=t0k HTTP/1.1\r\nHost: t\r\n"
          "Connection: Upgrade\r\nUpgrade: websocket\r\n"
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          "Sec-WebSocket-Version: 13\r\n\r\n");
  CAF_CHECK_EQUAL(raw, "taken over /api/v1/events token=t0k "
                       "key=dGhlIHNhbXBsZSBub25jZQ==");
  auto c = client();
  CAF_CHECK_EQUAL(c.request(verb::get, "/api/v1/events").result_int(), 426u);
}

CAF_TEST(stop closes idle connections and finishes the one in flight) {
  auto idle = client();
  CAF_CHECK_EQUAL(idle.request(verb::get, "/api/v1/items/1").result_int(),
                  200u);
  auto busy = client();
  busy.write_raw("GET /api/v1/park HTTP/1.1\r\nHost: t\r\n\r\n");
  auto reply = parked.get_future().get();
  srv->stop();
  CAF_CHECK(idle.closed_by_peer());
  reply(http::json_response(200, {{"finished", true}}));
  auto res = busy.read_response();
  CAF_CHECK_EQUAL(res.result_int(), 200u);
  CAF_CHECK_EQUAL(res.body(), R"({"finished":true})");
  CAF_CHECK(!res.keep_alive());
  CAF_CHECK(busy.closed_by_peer());
  bool refused = false;
  try {
    client();
  } catch (const boost::system::system_error&) {
    refused = true;
  }
  CAF_CHECK(refused);
}

CAF_TEST_FIXTURE_SCOPE_END()
