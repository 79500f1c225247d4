#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include <sys/types.h>

namespace idclaim::bench {

/// Samples a process's RSS on its own thread every `period` while alive.
class rss_sampler {
public:
  using clock = std::chrono::steady_clock;

  rss_sampler(pid_t pid, std::chrono::milliseconds period);
  ~rss_sampler();
  rss_sampler(const rss_sampler&) = delete;
  rss_sampler& operator=(const rss_sampler&) = delete;

  /// Stops sampling (idempotent).
  void stop();

  /// The samples so far: (time, bytes).
  std::vector<std::pair<clock::time_point, std::uint64_t>> samples() const;

  /// The last sample taken at or before `t` (0 if none).
  std::uint64_t at(clock::time_point t) const;

  /// The highest sample.
  std::uint64_t peak() const;

private:
  pid_t pid_;
  std::chrono::milliseconds period_;
  std::atomic<bool> stop_{false};
  mutable std::mutex m_;
  std::vector<std::pair<clock::time_point, std::uint64_t>> samples_;
  std::thread thread_;
};

} // namespace idclaim::bench
