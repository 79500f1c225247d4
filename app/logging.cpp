#include "app/logging.hpp"

#include <spdlog/spdlog.h>

namespace idclaim::app {

void setup_logging(const std::string& level) {
  spdlog::set_level(spdlog::level::from_str(level));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
}

} // namespace idclaim::app
