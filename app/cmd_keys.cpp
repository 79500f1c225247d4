#include "app/commands.hpp"

#include <iostream>

#include "config/app_config.hpp"
#include "crypto/key_set.hpp"

namespace idclaim::app {

int run_keys_create(const std::vector<std::string>& args) {
  config::app_config cfg;
  if (auto err = cfg.parse_layers(args); !err.empty()) {
    std::cerr << "idclaim keys create: " << err << "\n";
    return 2;
  }
  auto path = cfg.values.effective_key_file();
  // An existing file holds the keys of stored data: never replace it.
  if (crypto::key_file_exists(path)) {
    std::cerr << "idclaim keys create: " << path << " exists; not replaced\n";
    return 1;
  }
  try {
    crypto::create_key_file(path);
  } catch (const std::exception& e) {
    std::cerr << "idclaim keys create: " << e.what() << "\n";
    return 1;
  }
  std::cout << "created " << path
            << " (mode 0600); back it up: without it the stored personal "
               "data cannot be read\n";
  return 0;
}

} // namespace idclaim::app
