#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "domain/errors.hpp"

namespace idclaim::http {

/// A request target split at the first '?'.
struct target_parts {
  std::string_view path;  ///< everything before '?', still percent-encoded
  std::string_view query; ///< everything after '?' (empty when none)
};

/// Splits a request target into its path and query; a fragment (which
/// clients should never send) is dropped.
target_parts split_target(std::string_view target);

/// Decodes `%XX` escapes (and '+' as a space when `plus_is_space`, the
/// form-encoding rule for query strings). Returns nothing on a truncated or
/// non-hex escape.
std::optional<std::string> percent_decode(std::string_view in,
                                          bool plus_is_space = false);

/// Parses `a=1&b=x%20y&flag` into decoded name/value pairs. A name without
/// '=' maps to "", empty pieces are skipped and the first of repeated names
/// wins. Returns nothing when any escape is malformed.
std::optional<std::map<std::string, std::string>>
parse_query(std::string_view query);

/// Parses a whole non-negative decimal integer (a path id, a paging
/// parameter); nothing for anything else.
std::optional<int64_t> parse_count(std::string_view text);

/// A non-negative integer query parameter `name`: `fallback` when absent,
/// at most `max`; 422 FIELD_TYPE naming it when malformed or too large.
std::variant<int64_t, problem>
query_count(const std::map<std::string, std::string>& query,
            const std::string& name, int64_t fallback, int64_t max);

} // namespace idclaim::http
