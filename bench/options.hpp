#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace idclaim::bench {

using std::chrono::milliseconds;

/// How big each scenario is; `short_scale()` fits in 3 minutes on two
/// cores, `full_scale()` takes longer (S6 fills 10^6 accounts).
struct scale {
  std::string name;                        ///< short or full
  std::vector<std::size_t> levels;         ///< S1: concurrent clients
  std::vector<std::size_t> healthz_levels; ///< S0: /healthz clients
  milliseconds warmup{500};                ///< closed-loop warm-up
  milliseconds measure{3000};              ///< closed-loop window
  milliseconds open_measure{4000};         ///< open-loop window at 80 %
  int hash_samples = 5;                    ///< S0: interactive hashes timed
  milliseconds hash_parallel{1000};        ///< S0: parallel hashing time
  int commits = 300;                       ///< S0: single-row transactions
  milliseconds s3_idle{4000};              ///< S3: idle /healthz probe
  milliseconds s3_measure{12000};          ///< S3: probe under load
  std::size_t s3_clients = 16;             ///< S3: registration clients
  double probe_rate = 200;                 ///< S3: /healthz probe requests/s
  milliseconds overload_measure{10000};    ///< overload window
  double overload_factor = 8;              ///< offered / S3 capacity
  /// How long to watch the server stay busy after the overload.
  milliseconds overload_settle{10000};
  std::size_t s4_samples = 100; ///< S4: assist requests per round
  double s4_rate = 25;          ///< S4: assist requests/s
  std::vector<std::size_t> s4_idle{1000, 10000};      ///< S4: idle sockets
  std::size_t s5_sockets = 10000;                     ///< S5: idle WebSockets
  std::size_t s5_actors = 20000;                      ///< S5: claim actors
  std::vector<std::uint64_t> s6_levels{10000, 50000}; ///< S6: accounts
  milliseconds s6_measure{4000}; ///< S6: window at each level
};

scale short_scale();
scale full_scale();

/// The command line.
struct options {
  scale sc = short_scale();
  std::set<std::string> scenarios;      ///< empty: all
  std::string server_binary;            ///< default: idclaim beside the bench
  std::vector<std::string> server_args; ///< more flags for every server
  std::string target_host;              ///< set: use this server, start none
  unsigned short target_port = 0;
  int target_pid = 0; ///< external server's pid, for RSS/CPU
  std::string out_dir = "bench/results";
  std::string work_dir = "/tmp";
  std::size_t threads = 1; ///< load-generator I/O threads
  std::uint32_t seed = 0;  ///< 0: from the clock
  bool keep_data = false;
  bool help = false;

  /// Whether scenario `id` ("S0", "overload", ...) is to run.
  bool wants(const std::string& id) const {
    return scenarios.empty() || scenarios.count(id) > 0;
  }
};

/// Parses argv; returns an error text in `error` on bad input.
options parse_options(int argc, char** argv, std::string& error);

/// The usage text.
std::string usage();

nlohmann::json to_json(const options& o);

} // namespace idclaim::bench
