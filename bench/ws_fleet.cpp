#include "bench/ws_fleet.hpp"

#include <condition_variable>
#include <cstdio>
#include <mutex>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "bench/url_encode.hpp"

namespace idclaim::bench {

namespace beast = boost::beast;
namespace net = boost::asio;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;

/// One client socket: connect, upgrade, then read until closed.
class ws_fleet::session : public std::enable_shared_from_this<session> {
public:
  session(ws_fleet& fleet, std::size_t index, std::string token,
          std::function<void(bool, unsigned, std::string)> opened)
    : fleet_(fleet), index_(index), token_(std::move(token)),
      opened_(std::move(opened)), ws_(fleet.ioc_) {}

  void start() {
    tcp::endpoint endpoint{net::ip::make_address(fleet_.host_), fleet_.port_};
    beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds{30});
    beast::get_lowest_layer(ws_).async_connect(
      endpoint,
      beast::bind_front_handler(&session::on_connect, shared_from_this()));
  }

  void close() {
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
  }

private:
  void on_connect(beast::error_code ec) {
    if (ec)
      return opened(false, 0, "connect: " + ec.message());
    beast::get_lowest_layer(ws_).expires_never();
    // The handshake has its own deadline; an open socket never times out
    // (we are the idle client).
    auto timeouts
      = websocket::stream_base::timeout::suggested(beast::role_type::client);
    ws_.set_option(timeouts);
    auto target = "/api/v1/events?token=" + url_encode(token_);
    ws_.async_handshake(
      handshake_res_, fleet_.host_ + ":" + std::to_string(fleet_.port_), target,
      beast::bind_front_handler(&session::on_handshake, shared_from_this()));
  }

  void on_handshake(beast::error_code ec) {
    if (ec)
      return opened(false, handshake_res_.result_int(),
                    "handshake: " + ec.message());
    fleet_.open_.fetch_add(1);
    opened(true, 0, {});
    read();
  }

  void read() {
    ws_.async_read(buffer_, beast::bind_front_handler(&session::on_read,
                                                      shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) {
      fleet_.open_.fetch_sub(1);
      if (!fleet_.closed_)
        fleet_.dropped_.fetch_add(1);
      return;
    }
    auto at = bench_clock::now();
    fleet_.frames_.fetch_add(1);
    if (fleet_.on_frame_) {
      auto text = beast::buffers_to_string(buffer_.data());
      fleet_.on_frame_(index_, at, text);
    }
    buffer_.consume(buffer_.size());
    read();
  }

  void opened(bool ok, unsigned status, std::string error) {
    if (opened_)
      std::exchange(opened_, nullptr)(ok, status, std::move(error));
  }

  ws_fleet& fleet_;
  std::size_t index_;
  std::string token_;
  std::function<void(bool, unsigned, std::string)> opened_;
  websocket::stream<beast::tcp_stream> ws_;
  websocket::response_type handshake_res_;
  beast::flat_buffer buffer_;
};

ws_fleet::ws_fleet(std::string host, unsigned short port,
                   frame_handler on_frame)
  : host_(std::move(host)), port_(port), on_frame_(std::move(on_frame)) {
  guard_
    = std::make_unique<decltype(guard_)::element_type>(ioc_.get_executor());
  thread_ = std::thread([this] { ioc_.run(); });
}

ws_fleet::~ws_fleet() {
  close_all();
}

ws_open_result
ws_fleet::open(std::size_t n,
               const std::function<std::string(std::size_t)>& token_for,
               std::size_t parallel, bool progress, const std::string& label) {
  ws_open_result result;
  if (n == 0)
    return result;
  std::mutex m;
  std::condition_variable cv;
  std::size_t finished = 0;
  std::size_t started = 0;
  auto first = sessions_.size();
  auto begin = bench_clock::now();
  // Each finished handshake starts the next one, so at most `parallel`
  // are in flight; everything below runs on the fleet's thread.
  std::function<void()> start_next;
  start_next = [&] {
    if (started >= n)
      return;
    auto index = first + started++;
    auto s = std::make_shared<session>(
      *this, index, token_for(index),
      [&](bool ok, unsigned status, std::string error) {
        // Start the next one first: once `finished` reaches n, open()
        // returns and the objects captured here are gone.
        start_next();
        std::lock_guard<std::mutex> lock(m);
        if (ok) {
          ++result.opened;
        } else {
          ++result.failed;
          if (result.first_error.empty())
            result.first_error = error;
          if (status != 0 && result.refused_status == 0)
            result.refused_status = status;
        }
        ++finished;
        cv.notify_all();
      });
    sessions_.push_back(s);
    s->start();
  };
  net::post(ioc_, [&] {
    for (std::size_t i = 0; i < std::max<std::size_t>(1, parallel); ++i)
      start_next();
  });
  std::unique_lock<std::mutex> lock(m);
  auto next_print = bench_clock::now() + std::chrono::seconds{1};
  while (finished < n) {
    cv.wait_until(lock, next_print, [&] { return finished >= n; });
    if (progress && bench_clock::now() >= next_print) {
      std::printf("  [%s] %zu/%zu sockets open, %zu failed\n", label.c_str(),
                  result.opened, n, result.failed);
      std::fflush(stdout);
      next_print += std::chrono::seconds{1};
    }
  }
  result.seconds
    = std::chrono::duration<double>(bench_clock::now() - begin).count();
  return result;
}

void ws_fleet::close_all() {
  if (closed_)
    return;
  closed_ = true;
  std::mutex m;
  std::condition_variable cv;
  bool done = false;
  net::post(ioc_, [&] {
    for (auto& s : sessions_)
      s->close();
    sessions_.clear();
    std::lock_guard<std::mutex> lock(m);
    done = true;
    cv.notify_all();
  });
  {
    std::unique_lock<std::mutex> lock(m);
    cv.wait(lock, [&] { return done; });
  }
  guard_.reset();
  thread_.join();
}

} // namespace idclaim::bench
