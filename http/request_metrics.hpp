#pragma once

#include <array>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "http/router.hpp"
#include "metrics/registry.hpp"

namespace idclaim::http {

/// Counts HTTP requests and their latency by method, route pattern and
/// status class, in `idclaim_http_requests_total` and
/// `idclaim_http_request_duration_seconds`.
///
/// Why a table built up front: every child is looked up once, here, so a
/// request costs a map search over the fixed route list and two relaxed
/// atomic adds, never a lock. Labels come only from the router's patterns
/// ("*" for the static UI, "-" for no route) and from fixed method names,
/// never from the raw path, so no label can hold personal data.
class request_metrics {
public:
  /// Registers the two families in `reg` (kept alive by this) and makes
  /// the children of every route of `routes`.
  /// @throws std::invalid_argument when the families are registered twice.
  request_metrics(std::shared_ptr<metrics::registry> reg, const router& routes);

  /// Records one answered request. `method` and `route` that are not in
  /// the table are counted under method "other" / route "-".
  void record(std::string_view method, std::string_view route, unsigned status,
              std::chrono::steady_clock::duration took) const noexcept;

private:
  /// The children of one (method, route).
  struct slot {
    /// By status class: 1xx to 5xx, then anything else.
    std::array<metrics::counter*, 6> by_class{};
    metrics::histogram* latency = nullptr;
  };

  void add(const std::string& method, const std::string& route);
  const slot& find(std::string_view method, std::string_view route) const;

  std::shared_ptr<metrics::registry> registry_;
  metrics::family<metrics::counter>& requests_;
  metrics::family<metrics::histogram>& latency_;
  /// Keyed by "METHOD route"; read-only after construction.
  std::map<std::string, slot, std::less<>> slots_;
  const slot* other_ = nullptr;
};

} // namespace idclaim::http
