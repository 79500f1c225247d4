#include "http/field_reader.hpp"

#include "http/json_body.hpp"

namespace idclaim::http {

std::string field_reader::text(std::string_view field) {
  if (!ok())
    return {};
  return take(required_string(body_, field));
}

std::optional<std::string>
field_reader::optional_text(std::string_view field) {
  if (!ok())
    return std::nullopt;
  return take(optional_string(body_, field));
}

bool field_reader::flag(std::string_view field, bool fallback) {
  if (!ok())
    return fallback;
  return take(optional_bool(body_, field)).value_or(fallback);
}

} // namespace idclaim::http
