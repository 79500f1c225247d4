#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/proc_stats.hpp"
#include "bench/results.hpp"
#include "bench/targets.hpp"

namespace idclaim::bench {

/// Everything one bench invocation measured.
struct report {
  std::string mode;       ///< short or full
  std::string started_at; ///< local time, ISO 8601
  double seconds = 0;     ///< wall time of the whole run
  machine_info machine;
  std::string load_before; ///< machine_load() at the start
  std::string load_after;  ///< machine_load() at the end
  nlohmann::json options = nlohmann::json::object(); ///< how it was run
  std::vector<run_record> runs;
  std::vector<scenario_outcome> scenarios;
  value_map values; ///< the named numbers targets are computed from
};

/// The whole report as JSON, targets included.
nlohmann::json to_json(const report& r, const std::vector<target_check>& t);

/// The human table: runs, scenario notes, targets with PASS/MISS.
std::string render_text(const report& r, const std::vector<target_check>& t);

/// An SVG plot of latency against percentile (log-log, HdrHistogram
/// style) for every run marked `plot`.
std::string render_svg(const report& r);

} // namespace idclaim::bench
