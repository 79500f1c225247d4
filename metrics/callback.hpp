#pragma once

#include <functional>
#include <mutex>

#include "metrics/metric_type.hpp"

namespace idclaim::metrics {

/// A value read at scrape time from a function, for levels that another
/// component already keeps (a queue's depth, the oldest item's age), so the
/// hot path pays nothing at all. Use it through callback_gauge or
/// callback_counter, which fix what `# TYPE` says.
class basic_callback {
public:
  /// What a family passes to each new child: nothing.
  struct config {};

  /// Starts with no function; value() is NaN until set() is called.
  basic_callback() = default;

  /// Starts with no function; the form a family uses.
  explicit basic_callback(const config&) {}

  basic_callback(const basic_callback&) = delete;
  basic_callback& operator=(const basic_callback&) = delete;

  /// Makes `read` the source of the value, replacing any earlier one.
  /// `read` runs on the scraping thread, so it must be thread-safe, must
  /// stay callable for as long as the registry can be scraped (capture a
  /// shared_ptr or weak_ptr if its source can go away first) and must not
  /// call into the registry.
  void set(std::function<double()> read);

  /// Calls the function. NaN when none is set or when it throws, so one
  /// broken source cannot break the whole scrape.
  double value() const noexcept;

private:
  mutable std::mutex mutex_;
  std::function<double()> read_;
};

/// A callback whose family renders as `# TYPE gauge`.
class callback_gauge : public basic_callback {
public:
  using basic_callback::basic_callback;

  /// What `# TYPE` says for a family of these.
  static constexpr metric_type type = metric_type::gauge;
};

/// A callback whose family renders as `# TYPE counter`; its function must
/// never return less than it did before.
class callback_counter : public basic_callback {
public:
  using basic_callback::basic_callback;

  /// What `# TYPE` says for a family of these.
  static constexpr metric_type type = metric_type::counter;
};

} // namespace idclaim::metrics
