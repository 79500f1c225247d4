#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>
#include <sys/types.h>

#include "bench/results.hpp"

namespace idclaim::bench {

using bench_clock = std::chrono::steady_clock;

/// An answer as the load client reads it.
using http_answer
  = boost::beast::http::response<boost::beast::http::string_body>;

/// One request to send.
struct request_spec {
  boost::beast::http::verb method = boost::beast::http::verb::get;
  std::string target; ///< path and query
  std::string body;   ///< empty: no body
  std::string token;  ///< non-empty: Authorization: Bearer <token>
  std::string content_type = "application/json";
};

/// Open loop: requests leave at the intended times of a constant rate,
/// whatever the server does; closed loop: N clients, each sending its next
/// request when the previous answer arrives.
enum class loop_mode { open, closed };

/// Everything one load run needs.
struct load_plan {
  std::string scenario; ///< copied into the run_record
  std::string label;    ///< names the run in progress lines and tables
  std::string host = "127.0.0.1";
  unsigned short port = 0;
  loop_mode mode = loop_mode::closed;
  double rate = 0;             ///< open loop: requests per second, in total
  std::size_t connections = 1; ///< open: pool size; closed: clients
  std::chrono::milliseconds warmup{0};     ///< not counted
  std::chrono::milliseconds measure{1000}; ///< the counted window
  /// Open loop: how long after the last intended time to wait for answers.
  std::chrono::milliseconds drain_limit{30000};
  /// A request (including any wait for a connection) unanswered after
  /// this long counts as a timeout.
  std::chrono::milliseconds request_timeout{30000};
  /// Stop after this many requests (0: only the clock stops the run).
  std::uint64_t max_requests = 0;
  std::size_t threads = 1; ///< client I/O threads, each its own io_context
  /// The request with sequence number `seq` (0, 1, 2, ...). Must be
  /// thread-safe when threads > 1.
  std::function<request_spec(std::uint64_t seq)> make;
  /// Called on a client thread with every answer, inside the window or not.
  /// Must be thread-safe when threads > 1. May be empty.
  std::function<void(std::uint64_t seq, bench_clock::time_point intended,
                     const http_answer&)>
    sink;
  pid_t server_pid = 0; ///< > 0: sample its CPU and RSS
  bool progress = true; ///< print progress lines
  /// How often to print them.
  std::chrono::milliseconds progress_every{1000};
};

/// Runs `plan` to completion on its own threads and returns what happened.
/// Latency is measured from the intended send time (open loop) or the
/// actual send time (closed loop) to the end of the answer, so time spent
/// waiting for a free connection counts (no coordinated omission).
/// @throws std::runtime_error when no connection to the server can be made.
run_record run_load(const load_plan& plan);

} // namespace idclaim::bench
