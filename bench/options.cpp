#include "bench/options.hpp"

#include <sstream>
#include <stdexcept>

namespace idclaim::bench {

scale short_scale() {
  scale s;
  s.name = "short";
  s.levels = {1, 4, 16, 64, 256};
  s.healthz_levels = {1, 64, 256};
  s.measure = milliseconds{2500};
  s.s3_idle = milliseconds{4000};
  s.s3_measure = milliseconds{10000};
  s.hash_parallel = milliseconds{2000};
  s.overload_settle = milliseconds{5000};
  s.s6_levels = {10000, 40000};
  return s;
}

scale full_scale() {
  scale s;
  s.name = "full";
  s.levels = {1, 2, 4, 8, 16, 32, 64, 128, 256};
  s.healthz_levels = s.levels;
  s.warmup = milliseconds{1000};
  s.measure = milliseconds{8000};
  s.open_measure = milliseconds{15000};
  s.hash_samples = 15;
  s.hash_parallel = milliseconds{3000};
  s.commits = 1000;
  s.s3_idle = milliseconds{10000};
  s.s3_measure = milliseconds{30000};
  s.overload_measure = milliseconds{30000};
  s.overload_settle = milliseconds{30000};
  s.s4_samples = 500;
  s.s5_sockets = 10000;
  s.s5_actors = 100000;
  s.s6_levels = {10000, 100000, 1000000};
  s.s6_measure = milliseconds{8000};
  return s;
}

std::string usage() {
  return R"(usage: idclaim-bench [--short | --full] [options]

Starts idclaim (build/idclaim beside this binary) with a fresh data dir for
each scenario, drives it, and writes bench/results/<time>.{json,svg,txt}.

  --short               the quick run, under 3 minutes (default)
  --full                the long run (S6 fills 10^6 accounts)
  --scenarios LIST      comma list of S0,S1,S2,S3,S4,S5,S6,overload
  --server PATH         the idclaim binary to start
  --server-arg ARG      one more flag for every server started (repeat it;
                        e.g. --server-arg --hash-threads --server-arg 1)
  --target URL          use a running server (http://HOST:PORT), start none
  --target-pid PID      its pid, so RSS and CPU can be read
  --out DIR             where results go (default bench/results)
  --work-dir DIR        where data dirs are made (default /tmp)
  --threads N           load-generator I/O threads (default 1)
  --seed N              identity seed (default: from the clock)
  --keep-data           leave the servers' data dirs behind
)";
}

namespace {

std::set<std::string> split_list(const std::string& text) {
  std::set<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ','))
    if (!item.empty())
      out.insert(item);
  return out;
}

/// Splits http://HOST:PORT[/] into host and port.
bool parse_target(const std::string& url, std::string& host,
                  unsigned short& port) {
  std::string rest = url;
  if (rest.rfind("http://", 0) == 0)
    rest = rest.substr(7);
  while (!rest.empty() && rest.back() == '/')
    rest.pop_back();
  auto colon = rest.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return false;
  host = rest.substr(0, colon);
  try {
    auto p = std::stoi(rest.substr(colon + 1));
    if (p <= 0 || p > 65535)
      return false;
    port = static_cast<unsigned short>(p);
  } catch (const std::exception&) {
    return false;
  }
  return true;
}

} // namespace

options parse_options(int argc, char** argv, std::string& error) {
  options o;
  static const std::set<std::string> known{"S0", "S1", "S2", "S3",
                                           "S4", "S5", "S6", "overload"};
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        error = arg + " needs a value";
        return {};
      }
      return argv[++i];
    };
    try {
      if (arg == "--short") {
        o.sc = short_scale();
      } else if (arg == "--full") {
        o.sc = full_scale();
      } else if (arg == "--scenarios") {
        o.scenarios = split_list(value());
        for (auto& s : o.scenarios)
          if (!known.count(s))
            error = "unknown scenario " + s;
      } else if (arg == "--server") {
        o.server_binary = value();
      } else if (arg == "--server-arg") {
        o.server_args.push_back(value());
      } else if (arg == "--target") {
        if (!parse_target(value(), o.target_host, o.target_port))
          error = "--target must be http://HOST:PORT";
      } else if (arg == "--target-pid") {
        o.target_pid = std::stoi(value());
      } else if (arg == "--out") {
        o.out_dir = value();
      } else if (arg == "--work-dir") {
        o.work_dir = value();
      } else if (arg == "--threads") {
        o.threads = static_cast<std::size_t>(std::stoul(value()));
      } else if (arg == "--seed") {
        o.seed = static_cast<std::uint32_t>(std::stoul(value()));
      } else if (arg == "--keep-data") {
        o.keep_data = true;
      } else if (arg == "--help" || arg == "-h") {
        o.help = true;
      } else {
        error = "unknown option " + arg;
      }
    } catch (const std::exception&) {
      error = "bad number for " + arg;
    }
    if (!error.empty())
      break;
  }
  return o;
}

nlohmann::json to_json(const options& o) {
  return {{"mode", o.sc.name},
          {"scenarios", o.scenarios},
          {"server", o.server_binary},
          {"server_args", o.server_args},
          {"target", o.target_host.empty()
                       ? std::string{}
                       : o.target_host + ":" + std::to_string(o.target_port)},
          {"threads", o.threads},
          {"seed", o.seed}};
}

} // namespace idclaim::bench
