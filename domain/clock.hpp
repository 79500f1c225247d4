#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>

namespace idclaim {

/// The one way the server reads time, so tests can move it (SPEC §10).
class clock {
public:
  using time_point = std::chrono::system_clock::time_point;

  virtual ~clock() = default;

  /// The current time.
  virtual time_point now() const = 0;

  /// Milliseconds since the Unix epoch, the unit storage keeps.
  int64_t now_ms() const;
};

/// Real time.
class system_clock_source final : public clock {
public:
  time_point now() const override { return std::chrono::system_clock::now(); }
};

/// Real time shifted by an offset that `serve --test-clock` lets tests set.
/// Time keeps flowing after a shift, so timeouts still behave. Any offset
/// may be asked for (it comes from a request body); now() saturates at the
/// limits of a time_point (about ±292 years around 1970) instead of
/// overflowing.
class adjustable_clock final : public clock {
public:
  time_point now() const override;

  /// Makes now() read `t` at this instant.
  void set(time_point t);

  /// Moves now() forward (or back) by `seconds`.
  void advance(std::chrono::seconds seconds);

private:
  std::atomic<int64_t> offset_ms_{0};
};

/// Converts a time point to the milliseconds storage keeps.
int64_t to_ms(clock::time_point t);

/// Converts stored milliseconds back to a time point; values beyond what a
/// time_point can hold saturate at its limits.
clock::time_point from_ms(int64_t ms);

} // namespace idclaim
