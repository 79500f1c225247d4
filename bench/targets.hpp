#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace idclaim::bench {

/// The named numbers a run produces ("s1.register_rps.c64" -> 3134.2);
/// the targets are computed from these alone.
using value_map = std::map<std::string, double>;

/// One target of the issue, evaluated.
struct target_check {
  std::string id;      ///< "T1" ...
  std::string name;    ///< what it compares
  std::string formula; ///< how the measured figure is computed
  std::string goal;    ///< e.g. ">= 0.2"
  double measured = 0; ///< NaN when a needed value is missing
  std::string verdict; ///< PASS, MISS or N/A
  std::string detail;  ///< the inputs, and by how much it missed
};

/// Evaluates every target against `v`. A target whose inputs are missing
/// (its scenario was skipped or failed) is N/A, never PASS.
std::vector<target_check> evaluate_targets(const value_map& v);

nlohmann::json to_json(const target_check& t);

} // namespace idclaim::bench
