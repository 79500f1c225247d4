#pragma once

#include <string>

namespace idclaim::app {

/// Sets the process-wide spdlog level and pattern. Log lines never carry
/// personal data (SPEC §3): handlers log route patterns, not raw targets.
void setup_logging(const std::string& level);

} // namespace idclaim::app
