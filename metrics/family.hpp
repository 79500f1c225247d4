#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "metrics/callback.hpp"
#include "metrics/counter.hpp"
#include "metrics/gauge.hpp"
#include "metrics/histogram.hpp"
#include "metrics/label_key.hpp"
#include "metrics/metric_type.hpp"
#include "metrics/names.hpp"

namespace idclaim::metrics {

/// The most children a family keeps by default before new label tuples
/// collapse into the overflow child.
inline constexpr std::size_t default_max_children = 1000;

/// What a family is called and how it is labelled, fixed at registration.
struct family_info {
  std::string name;                     ///< the metric name
  std::string help;                     ///< the `# HELP` text
  std::vector<std::string> label_names; ///< the label names, in order
  std::size_t max_children = default_max_children; ///< the child cap
};

/// One child's value at scrape time: a counter's count, a gauge's level
/// (whole or fractional) or a histogram's snapshot.
using child_value
  = std::variant<std::uint64_t, std::int64_t, double, histogram_snapshot>;

/// Reads a child's value.
inline child_value value_of(const counter& x) {
  return x.value();
}

/// Reads a child's value.
inline child_value value_of(const double_counter& x) {
  return x.value();
}

/// Reads a child's value.
inline child_value value_of(const gauge& x) {
  return x.value();
}

/// Reads a child's value.
inline child_value value_of(const double_gauge& x) {
  return x.value();
}

/// Reads a child's value.
inline child_value value_of(const histogram& x) {
  return x.snapshot();
}

/// Reads a child's value, calling its function.
inline child_value value_of(const basic_callback& x) {
  return x.value();
}

/// The part of a metric family that does not depend on the metric type:
/// its name, help and label names, validation, and rendering.
class family_base {
public:
  /// Receives one child's label values and current value.
  using child_fn
    = std::function<void(const std::vector<std::string>&, const child_value&)>;

  /// Checks and keeps the family's description.
  /// @throws std::invalid_argument for a metric or label name outside the
  ///         Prometheus grammar, a repeated label name, more than
  ///         max_label_names labels, a histogram label named `le`, or a
  ///         child cap of zero.
  family_base(family_info info, metric_type type);

  virtual ~family_base();

  family_base(const family_base&) = delete;
  family_base& operator=(const family_base&) = delete;

  /// The metric name.
  const std::string& name() const noexcept { return info_.name; }

  /// The `# HELP` text, unescaped.
  const std::string& help() const noexcept { return info_.help; }

  /// The label names, in order.
  const std::vector<std::string>& label_names() const noexcept {
    return info_.label_names;
  }

  /// What `# TYPE` says.
  metric_type type() const noexcept { return type_; }

  /// The most distinct label tuples kept before new ones collapse into the
  /// overflow child (which comes on top).
  std::size_t max_children() const noexcept { return info_.max_children; }

  /// The sample names this family writes (a histogram writes `_bucket`,
  /// `_sum` and `_count`), so the registry can refuse a clash.
  std::vector<std::string> sample_names() const;

  /// The number of children, the overflow child included.
  virtual std::size_t size() const = 0;

  /// Calls `fn` for every child in label order (the stable order of the
  /// output). Takes the family's lock in shared mode meanwhile.
  virtual void each_child(const child_fn& fn) const = 0;

  /// Appends the family in text format 0.0.4: `# HELP`, `# TYPE`, then the
  /// children's samples. A family without children renders only its two
  /// comment lines, so the metric is discoverable before its first use.
  void render(std::string& out) const;

  /// The family as {"name", "help", "type", "label_names", "children":
  /// [{"labels": {name: value}, "value": v}]}, where a histogram's `v` is
  /// its snapshot object.
  nlohmann::json to_json() const;

protected:
  /// Checks the number of values and replaces each invalid one.
  /// @throws std::invalid_argument when the count differs from the number
  ///         of label names.
  template <class It>
  label_key make_key(It first, It last) const {
    auto n = static_cast<std::size_t>(std::distance(first, last));
    if (n != info_.label_names.size())
      throw_arity_mismatch(n);
    label_key key;
    for (; first != last; ++first)
      key.values[key.size++] = checked_label_value(*first);
    return key;
  }

  /// The tuple that collects every label tuple past the cap.
  label_key overflow_key() const noexcept;

private:
  [[noreturn]] void throw_arity_mismatch(std::size_t given) const;

  family_info info_;
  metric_type type_;
};

/// A metric family: one child metric of type T (counter, double_counter,
/// gauge, double_gauge, histogram, callback_gauge, callback_counter) per
/// tuple of label values.
///
/// Label values must come from fixed, small sets chosen by the code (route
/// patterns such as "/api/v1/accounts/{id}", status classes such as "2xx",
/// actor kinds, outcomes), never from request data, and never hold personal
/// data (ID numbers, phones, names). As a safety net a value that is not
/// printable ASCII or longer than 100 characters becomes "invalid", and
/// once the family holds max_children tuples every new tuple maps to one
/// child whose values are all "other", so memory stays bounded.
template <class T>
class family final : public family_base {
public:
  /// Makes an empty family; `config` is passed to every new child.
  /// @throws std::invalid_argument as family_base does.
  family(family_info info, typename T::config config)
    : family_base(std::move(info), T::type), config_(std::move(config)) {}

  /// The child for `values` (one per label name, in order), created on
  /// first use. The reference stays valid for the family's lifetime, so
  /// callers look it up once and cache it. A lookup of an existing tuple
  /// takes the lock in shared mode; only creation takes it exclusively.
  /// @throws std::invalid_argument when the number of values is not the
  ///         number of label names (a programming error, found by the first
  ///         test that reaches the call).
  T& with(std::initializer_list<std::string_view> values) {
    return child(make_key(values.begin(), values.end()));
  }

  /// Like the initializer-list form, for values built at run time.
  T& with(const std::vector<std::string>& values) {
    return child(make_key(values.begin(), values.end()));
  }

  std::size_t size() const override {
    std::shared_lock<std::shared_mutex> guard{mutex_};
    return children_.size();
  }

  void each_child(const child_fn& fn) const override {
    std::shared_lock<std::shared_mutex> guard{mutex_};
    for (const auto& [values, metric] : children_)
      fn(values, value_of(metric));
  }

private:
  T& child(const label_key& key) {
    {
      std::shared_lock<std::shared_mutex> guard{mutex_};
      if (auto i = children_.find(key); i != children_.end())
        return i->second;
      // Once full, unknown tuples go straight to the overflow child without
      // queueing for the exclusive lock.
      if (overflow_ != nullptr)
        return *overflow_;
    }
    std::unique_lock<std::shared_mutex> guard{mutex_};
    if (auto i = children_.find(key); i != children_.end())
      return i->second;
    if (children_.size() < max_children())
      return add(key);
    if (overflow_ == nullptr) {
      auto other = overflow_key();
      auto i = children_.find(other);
      overflow_ = i != children_.end() ? &i->second : &add(other);
    }
    return *overflow_;
  }

  /// Inserts a child for `key`; the caller holds the exclusive lock.
  T& add(const label_key& key) {
    auto [i, added] = children_.emplace(
      std::piecewise_construct, std::forward_as_tuple(key.begin(), key.end()),
      std::forward_as_tuple(config_));
    static_cast<void>(added);
    return i->second;
  }

  typename T::config config_;
  mutable std::shared_mutex mutex_;
  /// Map nodes never move, which keeps the references handed out valid.
  std::map<std::vector<std::string>, T, label_less> children_;
  /// The child for tuples past the cap; set once the family is full.
  T* overflow_ = nullptr;
};

} // namespace idclaim::metrics
