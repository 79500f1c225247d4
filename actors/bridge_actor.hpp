#pragma once

#include <atomic>
#include <functional>
#include <vector>

#include <caf/actor.hpp>

#include "actors/messages.hpp"

namespace idclaim::actors {

/// Long-lived actors that run closures for the HTTP layer. An Asio thread
/// posts a closure and returns at once; the closure starts `request(...)
/// .then(...)` chains on the bridge, whose handlers hand the reply back to
/// the connection. Long-lived bridges cost less per request than spawning an
/// actor per request (PERF-NOTES).
class bridge {
public:
  bridge(caf::actor_system& sys, std::size_t count);

  /// Runs `task` on one of the bridge actors; safe from any thread.
  void run(std::function<void(caf::event_based_actor*)> task);

  /// Stops the bridge actors.
  void stop();

private:
  std::vector<caf::actor> actors_;
  std::atomic<std::size_t> next_{0};
};

} // namespace idclaim::actors
