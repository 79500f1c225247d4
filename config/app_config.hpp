#pragma once

#include <string>
#include <vector>

#include <caf/actor_system_config.hpp>

#include "config/settings.hpp"

namespace idclaim::config {

/// CAF's system configuration extended with idclaim's options. CAF parses the
/// INI file and the flags; `parse_layers` puts environment variables between.
class app_config : public caf::actor_system_config {
public:
  app_config();

  /// Parses, in rising priority: the INI file (`--config FILE`, or
  /// IDCLAIM_CONFIG), IDCLAIM_* environment variables, then `args`. Accepts
  /// both `--flag value` and `--flag=value`. Returns an error text or "".
  std::string parse_layers(std::vector<std::string> args);

  /// Every idclaim option, one per line: "  --name  what it does
  /// (IDCLAIM_NAME)", in the order they are declared; for `idclaim help`.
  std::string option_list() const;

  /// The values after parsing.
  settings values;

  /// Arguments that are not options (e.g. the FILE of import-records).
  std::vector<std::string> positional;

  /// Extra options for subcommands (staff add).
  std::string staff_role;
  std::string staff_username;
  std::string staff_password;
};

/// Maps an option name to its environment variable: "data-dir" →
/// "IDCLAIM_DATA_DIR".
std::string env_name(const std::string& option);

} // namespace idclaim::config
