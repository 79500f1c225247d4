#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace idclaim::testing {

/// Many live-event sockets at once, driven by one thread: each connects
/// with its own token and keeps every frame it receives.
class ws_crowd {
public:
  /// Connects one socket per token to `/api/v1/events?token=` on `port`.
  /// Throws when a socket cannot be opened within `timeout`.
  ws_crowd(unsigned short port, const std::vector<std::string>& tokens,
           std::chrono::milliseconds timeout = std::chrono::seconds{30});
  ~ws_crowd();

  /// Runs until `done(frames)` holds for every socket, or `timeout`; returns
  /// whether it held.
  bool
  wait_all(const std::function<bool(const std::vector<nlohmann::json>&)>& done,
           std::chrono::milliseconds timeout);

  /// The frames socket `i` received so far.
  const std::vector<nlohmann::json>& frames(std::size_t i) const;

  std::size_t size() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace idclaim::testing
