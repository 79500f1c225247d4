#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace idclaim::testing {

/// A flag one thread raises and another waits for, with a deadline so that
/// a broken test fails instead of hanging.
class signal_flag {
public:
  /// Raises the flag and wakes every waiter.
  void raise() {
    {
      std::lock_guard<std::mutex> guard{mtx_};
      raised_ = true;
    }
    cv_.notify_all();
  }

  /// Waits until the flag is raised or `limit` passed; whether it is raised.
  bool wait_for(std::chrono::milliseconds limit) {
    std::unique_lock<std::mutex> lock{mtx_};
    return cv_.wait_for(lock, limit, [&] { return raised_; });
  }

  /// Whether the flag is raised now.
  bool raised() {
    std::lock_guard<std::mutex> guard{mtx_};
    return raised_;
  }

private:
  std::mutex mtx_;
  std::condition_variable cv_;
  bool raised_ = false;
};

} // namespace idclaim::testing
