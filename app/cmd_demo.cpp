#include "app/commands.hpp"

#include <iostream>

#include <spdlog/spdlog.h>

#include "app/demo_seed.hpp"
#include "app/logging.hpp"
#include "app/service.hpp"

namespace idclaim::app {

int run_demo(const std::vector<std::string>& args) {
  config::app_config cfg;
  if (auto err = cfg.parse_layers(args); !err.empty()) {
    std::cerr << "idclaim demo: " << err << "\n";
    return 2;
  }
  if (!cfg.positional.empty()) {
    std::cerr << "idclaim demo: unknown argument " << cfg.positional.front()
              << "\n";
    return 2;
  }
  auto cost = crypto::parse_hash_cost(cfg.values.password_hash);
  if (!cost) {
    std::cerr << "idclaim demo: bad --password-hash\n";
    return 2;
  }
  setup_logging(cfg.values.log_level);
  // The service runs in this process only to seed through its API: on a
  // free loopback port, without the test clock, and quietly.
  cfg.values.listen = "127.0.0.1:0";
  cfg.values.test_clock = false;
  spdlog::set_level(spdlog::level::warn);
  demo_outcome outcome;
  try {
    service svc{cfg.values};
    svc.start();
    try {
      outcome = seed_demo(svc, *cost);
    } catch (...) {
      svc.stop();
      throw;
    }
    svc.stop();
  } catch (const std::exception& e) {
    std::cerr << "idclaim demo: " << e.what() << "\n";
    return 1;
  }
  if (outcome.done == 0)
    std::cout << "demo data already present; nothing changed\n";
  else
    std::cout << "demo data seeded (" << outcome.done << " steps, "
              << outcome.skipped << " already done)\n";
  std::cout << "demo logins (password for all: "
            << demo_logins().front().password << "):\n";
  for (auto& l : demo_logins())
    std::cout << "  " << l.username << "  " << l.what << "\n";
  return 0;
}

} // namespace idclaim::app
