#include "app/commands.hpp"

#include <csignal>
#include <iostream>

#include <spdlog/spdlog.h>
#include <systemd/sd-daemon.h>

#include "app/logging.hpp"
#include "app/service.hpp"

namespace idclaim::app {

int run_serve(const std::vector<std::string>& args) {
  config::app_config cfg;
  if (auto err = cfg.parse_layers(args); !err.empty()) {
    std::cerr << "idclaim serve: " << err << "\n";
    return 2;
  }
  if (!cfg.positional.empty()) {
    std::cerr << "idclaim serve: unknown argument " << cfg.positional.front()
              << "\n";
    return 2;
  }
  setup_logging(cfg.values.log_level);
  // Block the stop signals in every thread the service starts; this thread
  // then waits for them synchronously.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  try {
    service svc{cfg.values};
    svc.start();
    // Type=notify: systemd counts the service as started only now, when
    // it accepts connections (a no-op outside systemd).
    sd_notify(0, "READY=1");
    int sig = 0;
    sigwait(&stop_signals, &sig);
    spdlog::info("signal {} received, stopping", sig);
    sd_notify(0, "STOPPING=1");
    svc.stop();
  } catch (const std::exception& e) {
    spdlog::critical("idclaim serve: {}", e.what());
    return 1;
  }
  spdlog::info("stopped");
  return 0;
}

} // namespace idclaim::app
