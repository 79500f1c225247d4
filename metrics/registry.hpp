#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <set>
#include <shared_mutex>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "metrics/callback.hpp"
#include "metrics/counter.hpp"
#include "metrics/family.hpp"
#include "metrics/gauge.hpp"
#include "metrics/histogram.hpp"

namespace idclaim::metrics {

/// All metric families of one service, rendered for `GET /metrics`.
///
/// There is no global registry: the service owns one and passes it (by
/// reference) to whatever records metrics. Families are registered at
/// start-up; the references returned stay valid for the registry's
/// lifetime, as do the children they hand out, so hot paths look a child up
/// once and then only touch its atomics. Every member is thread-safe.
///
/// Label values must come from fixed sets (route patterns, status classes,
/// actor kinds, outcomes) and never from request data; see family<T>.
class registry {
public:
  /// Makes an empty registry whose families each keep at most
  /// `max_children_per_family` label tuples (plus the overflow child).
  explicit registry(std::size_t max_children_per_family = default_max_children);

  ~registry();

  registry(const registry&) = delete;
  registry& operator=(const registry&) = delete;

  // -- registration (each may throw std::invalid_argument: a bad metric or
  // -- label name as family_base says, or a name whose samples clash with
  // -- an already registered family's) -------------------------------------

  /// Registers a family of whole-number counters.
  family<counter>& counter_family(std::string name, std::string help,
                                  std::vector<std::string> label_names = {});

  /// Registers a family of fractional counters.
  family<double_counter>&
  double_counter_family(std::string name, std::string help,
                        std::vector<std::string> label_names = {});

  /// Registers a family of whole-number gauges.
  family<gauge>& gauge_family(std::string name, std::string help,
                              std::vector<std::string> label_names = {});

  /// Registers a family of fractional gauges.
  family<double_gauge>& double_gauge_family(std::string name, std::string help,
                                            std::vector<std::string> label_names
                                            = {});

  /// Registers a family of histograms with the upper bounds `bounds`
  /// (seconds) shared by all its children.
  /// @throws std::invalid_argument also for bounds checked_bounds refuses.
  family<histogram>& histogram_family(std::string name, std::string help,
                                      std::vector<std::string> label_names = {},
                                      std::vector<double> bounds
                                      = default_latency_buckets());

  /// Registers a family of gauges read from functions at scrape time.
  family<callback_gauge>&
  callback_gauge_family(std::string name, std::string help,
                        std::vector<std::string> label_names = {});

  /// Registers a family of counters read from functions at scrape time.
  family<callback_counter>&
  callback_counter_family(std::string name, std::string help,
                          std::vector<std::string> label_names = {});

  // -- output ---------------------------------------------------------------

  /// The whole registry in text format 0.0.4 (serve it with
  /// text_content_type): families in registration order, children sorted
  /// by label values.
  std::string render() const;

  /// The whole registry as a JSON array of family_base::to_json() objects,
  /// in registration order, for the operator page.
  nlohmann::json to_json() const;

  /// The number of families registered.
  std::size_t size() const;

private:
  template <class T>
  family<T>& add(std::string name, std::string help,
                 std::vector<std::string> label_names,
                 typename T::config config);

  /// The families in registration order, copied under the lock so that
  /// rendering (and the callbacks it runs) happens without it.
  std::vector<const family_base*> families() const;

  std::size_t max_children_;
  mutable std::shared_mutex mutex_;
  std::vector<std::unique_ptr<family_base>> families_;
  /// Every sample name in use, to refuse a family whose lines would clash.
  std::set<std::string, std::less<>> sample_names_;
};

} // namespace idclaim::metrics
