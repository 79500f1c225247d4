#include "bench/rss_sampler.hpp"

#include <algorithm>

#include "bench/proc_stats.hpp"

namespace idclaim::bench {

rss_sampler::rss_sampler(pid_t pid, std::chrono::milliseconds period)
  : pid_(pid), period_(period) {
  thread_ = std::thread([this] {
    while (!stop_.load()) {
      auto bytes = pid_ > 0 ? rss_bytes(pid_) : 0;
      {
        std::lock_guard<std::mutex> lock(m_);
        samples_.emplace_back(clock::now(), bytes);
      }
      std::this_thread::sleep_for(period_);
    }
  });
}

rss_sampler::~rss_sampler() {
  stop();
}

void rss_sampler::stop() {
  if (stop_.exchange(true))
    return;
  thread_.join();
}

std::vector<std::pair<rss_sampler::clock::time_point, std::uint64_t>>
rss_sampler::samples() const {
  std::lock_guard<std::mutex> lock(m_);
  return samples_;
}

std::uint64_t rss_sampler::at(clock::time_point t) const {
  std::lock_guard<std::mutex> lock(m_);
  std::uint64_t last = 0;
  for (auto& [when, bytes] : samples_) {
    if (when > t)
      break;
    last = bytes;
  }
  return last;
}

std::uint64_t rss_sampler::peak() const {
  std::lock_guard<std::mutex> lock(m_);
  std::uint64_t p = 0;
  for (auto& s : samples_)
    p = std::max(p, s.second);
  return p;
}

} // namespace idclaim::bench
