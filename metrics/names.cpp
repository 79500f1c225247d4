#include "metrics/names.hpp"

#include <algorithm>

namespace idclaim::metrics {

namespace {

bool is_letter(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool is_digit(char c) noexcept {
  return c >= '0' && c <= '9';
}

} // namespace

bool is_valid_metric_name(std::string_view name) noexcept {
  auto head = [](char c) { return is_letter(c) || c == ':'; };
  auto tail = [&](char c) { return head(c) || is_digit(c); };
  return !name.empty() && head(name.front())
         && std::all_of(name.begin() + 1, name.end(), tail);
}

bool is_valid_label_name(std::string_view name) noexcept {
  auto tail = [](char c) { return is_letter(c) || is_digit(c); };
  // Names starting with "__" are reserved for Prometheus itself.
  return !name.empty() && is_letter(name.front())
         && std::all_of(name.begin() + 1, name.end(), tail)
         && name.substr(0, 2) != "__";
}

bool is_valid_label_value(std::string_view value) noexcept {
  auto printable = [](char c) { return c >= 0x20 && c <= 0x7e; };
  return value.size() <= max_label_value_length
         && std::all_of(value.begin(), value.end(), printable);
}

std::string_view checked_label_value(std::string_view value) noexcept {
  return is_valid_label_value(value) ? value : invalid_label_value;
}

} // namespace idclaim::metrics
