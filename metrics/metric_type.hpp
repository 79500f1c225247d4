#pragma once

#include <string_view>

namespace idclaim::metrics {

/// The kinds of metric the text format's `# TYPE` line names.
enum class metric_type { counter, gauge, histogram };

/// The `# TYPE` spelling of `type`.
constexpr std::string_view to_string(metric_type type) noexcept {
  switch (type) {
  case metric_type::counter:
    return "counter";
  case metric_type::gauge:
    return "gauge";
  case metric_type::histogram:
    return "histogram";
  }
  return "untyped";
}

} // namespace idclaim::metrics
