#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/histogram.hpp"

namespace idclaim::bench {

/// The quantiles of one latency histogram, in milliseconds.
struct latency_summary {
  std::uint64_t count = 0;
  double mean_ms = 0;
  double p50_ms = 0;
  double p90_ms = 0;
  double p99_ms = 0;
  double p999_ms = 0;
  double max_ms = 0;
  /// (percentile, ms) at each of plotted_percentiles(), for the SVG plot.
  std::vector<std::pair<double, double>> curve;
};

/// Reads the quantiles out of `h`.
latency_summary summarize(const latency_histogram& h);

/// One measured load run: a row of the human table.
struct run_record {
  std::string scenario; ///< "S1", "S3", "overload", ...
  std::string label;    ///< what ran, e.g. "register distinct C=64"
  std::string mode;     ///< "closed" or "open"
  std::size_t connections = 0;
  double offered_rate = 0;            ///< open loop: requests/s asked for
  double window_s = 0;                ///< the measured window
  std::uint64_t issued = 0;           ///< requests sent or queued (whole run)
  std::uint64_t answered = 0;         ///< answers counted in the window
  std::uint64_t ok = 0;               ///< 2xx among them
  std::uint64_t ok_in_window = 0;     ///< 2xx that arrived inside the window
  std::uint64_t transport_errors = 0; ///< connect/read/write failures
  std::uint64_t timeouts = 0;         ///< requests with no answer in time
  std::uint64_t unfinished = 0;       ///< still waiting when the run ended
  std::uint64_t retry_after_503 = 0;  ///< 503 answers with Retry-After
  std::map<unsigned, std::uint64_t> statuses; ///< answers by status
  double ok_per_s = 0;           ///< throughput: 2xx arrived per second
  latency_summary ok_latency;    ///< latency of 2xx answers
  latency_summary other_latency; ///< latency of every other answer
  double server_cpu_pct = -1;    ///< server CPU in the window (100 = 1 core)
  double client_cpu_pct = -1;    ///< this process's CPU in the window
  double server_us_per_ok = -1;  ///< server CPU per 2xx answer (µs)
  double client_us_per_ok = -1;  ///< load-generator CPU per 2xx answer
  std::uint64_t server_rss_peak = 0;  ///< highest RSS sampled (bytes)
  std::uint64_t max_client_queue = 0; ///< open loop: most requests waiting
                                      ///< for a free connection
  bool plot = false;                  ///< draw its percentile curve in the SVG
};

/// What happened to one scenario.
struct scenario_outcome {
  std::string id;                 ///< "S0" .. "S6", "overload"
  std::string title;              ///< one line on what it measures
  std::string status = "ok";      ///< "ok", "skipped: ...", "failed: ..."
  std::vector<std::string> notes; ///< findings worth a line each
  nlohmann::json data = nlohmann::json::object(); ///< its own numbers
  double seconds = 0;                             ///< how long it took
};

nlohmann::json to_json(const latency_summary& s);
nlohmann::json to_json(const run_record& r);
nlohmann::json to_json(const scenario_outcome& s);

} // namespace idclaim::bench
