#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/histogram.hpp"
#include "metrics/metric_type.hpp"

namespace idclaim::metrics {

/// The Content-Type of the text exposition format, version 0.0.4.
inline constexpr std::string_view text_content_type
  = "text/plain; version=0.0.4; charset=utf-8";

/// A child's labels: the family's names paired in order with the child's
/// values (both the same length).
struct label_pairs {
  const std::vector<std::string>& names;  ///< from the family
  const std::vector<std::string>& values; ///< from the child
};

/// Appends `text` with `\` and newline escaped, as `# HELP` needs.
void append_escaped_help(std::string& out, std::string_view text);

/// Appends `text` with `\`, `"` and newline escaped, as a label value needs.
void append_escaped_label_value(std::string& out, std::string_view text);

/// Formats `value` so Prometheus parses it back exactly: the shortest
/// digits that round-trip, in plain decimal for exponents from -4 to 20 and
/// in scientific form (`1e-07`) outside them; or `+Inf`, `-Inf`, `NaN`.
std::string format_value(double value);

/// Formats a whole-number value in decimal.
std::string format_value(std::uint64_t value);

/// Formats a whole-number value in decimal.
std::string format_value(std::int64_t value);

/// Appends the `# HELP` and `# TYPE` lines of a family.
void append_header(std::string& out, std::string_view name,
                   std::string_view help, metric_type type);

/// Appends one sample line `name{labels} value`; the braces are left out
/// when there are no labels. `le`, when not null, is added as the last
/// label (for histogram buckets).
void append_sample(std::string& out, std::string_view name,
                   const label_pairs& labels, std::string_view value,
                   const std::string* le = nullptr);

/// Appends a histogram child: one cumulative `name_bucket{...,le="b"}` line
/// per bound, then `le="+Inf"`, `name_sum` and `name_count`.
void append_histogram(std::string& out, std::string_view name,
                      const label_pairs& labels,
                      const histogram_snapshot& snap);

} // namespace idclaim::metrics
