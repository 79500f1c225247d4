#pragma once

#include <cstddef>
#include <string_view>

namespace idclaim::metrics {

/// The longest label value kept; a longer one becomes `invalid_label_value`.
inline constexpr std::size_t max_label_value_length = 100;

/// What a label value that is too long or not printable ASCII becomes, so a
/// stray byte can never reach the scrape output or create a new series.
inline constexpr std::string_view invalid_label_value = "invalid";

/// What every label value of a new tuple becomes once a family is full.
inline constexpr std::string_view overflow_label_value = "other";

/// Whether `name` fits the Prometheus metric name grammar
/// `[a-zA-Z_:][a-zA-Z0-9_:]*`.
bool is_valid_metric_name(std::string_view name) noexcept;

/// Whether `name` fits the Prometheus label name grammar
/// `[a-zA-Z_][a-zA-Z0-9_]*` and does not start with the reserved `__`.
bool is_valid_label_name(std::string_view name) noexcept;

/// Whether `value` is at most `max_label_value_length` characters of
/// printable ASCII (0x20 to 0x7e). The empty value is allowed.
bool is_valid_label_value(std::string_view value) noexcept;

/// Returns `value` itself when it is valid, otherwise `invalid_label_value`.
std::string_view checked_label_value(std::string_view value) noexcept;

} // namespace idclaim::metrics
