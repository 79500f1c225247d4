#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include "bench/load_client.hpp"

namespace idclaim::bench {

/// Called on the fleet's thread with every text frame a socket receives.
using frame_handler = std::function<void(
  std::size_t socket, bench_clock::time_point at, std::string_view text)>;

/// What opening a batch of sockets gave.
struct ws_open_result {
  std::size_t opened = 0;
  std::size_t failed = 0;
  unsigned refused_status = 0; ///< HTTP status of a declined upgrade, if any
  std::string first_error;
  double seconds = 0;
};

/// Many WebSocket clients of GET /api/v1/events?token=... on one I/O
/// thread. Each socket keeps reading (so pings and close frames are
/// handled) and hands text frames to the handler.
class ws_fleet {
public:
  ws_fleet(std::string host, unsigned short port, frame_handler on_frame = {});
  ~ws_fleet();
  ws_fleet(const ws_fleet&) = delete;
  ws_fleet& operator=(const ws_fleet&) = delete;

  /// Opens `n` more sockets, socket i (counting from the first socket
  /// ever opened by this fleet) with token `token_for(i)`, at most
  /// `parallel` handshakes at once. Blocks until every one has opened or
  /// failed. Prints progress once a second when `progress` is set.
  ws_open_result open(std::size_t n,
                      const std::function<std::string(std::size_t)>& token_for,
                      std::size_t parallel, bool progress,
                      const std::string& label);

  /// Sockets open now.
  std::size_t open_count() const { return open_.load(); }

  /// Text frames received by all sockets so far.
  std::uint64_t frames() const { return frames_.load(); }

  /// Sockets the server closed or that failed after opening.
  std::uint64_t dropped() const { return dropped_.load(); }

  /// Closes every socket and stops the thread. Idempotent.
  void close_all();

  class session;

private:
  friend class session;

  std::string host_;
  unsigned short port_;
  frame_handler on_frame_;
  boost::asio::io_context ioc_;
  std::unique_ptr<
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>
    guard_;
  std::thread thread_;
  std::vector<std::shared_ptr<session>> sessions_;
  std::atomic<std::size_t> open_{0};
  std::atomic<std::uint64_t> frames_{0};
  std::atomic<std::uint64_t> dropped_{0};
  std::atomic<bool> closed_{false};
};

} // namespace idclaim::bench
