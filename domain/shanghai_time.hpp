#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "domain/civil_date.hpp"

namespace idclaim::domain {

// The product's calendar is Asia/Shanghai (quota days, birth dates, API
// times). Offsets come from ICU's time-zone data, which knows that China
// kept daylight saving time in 1986-1991; nothing here assumes +08:00.
// Every function throws std::runtime_error if ICU lacks the zone, which only
// a broken installation does.

/// The Asia/Shanghai calendar date at instant `t`.
civil_date shanghai_date(std::chrono::system_clock::time_point t);

/// The first instant after `t` that starts a new Asia/Shanghai day, i.e.
/// when the 5-a-day assist quota resets. Strictly later than `t`, also
/// when `t` is itself a midnight.
std::chrono::system_clock::time_point
next_shanghai_midnight(std::chrono::system_clock::time_point t);

/// RFC 3339 in Asia/Shanghai local time with its offset, whole seconds
/// (sub-seconds are truncated): "2026-12-03T20:01:02+08:00".
std::string format_rfc3339(std::chrono::system_clock::time_point t);

/// The same for milliseconds since the Unix epoch (how storage keeps time).
std::string format_rfc3339_ms(int64_t ms);

/// Parses RFC 3339 "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)" with any
/// offset; 't', 'z' and a space for 'T' are accepted as well. Returns
/// nullopt for anything else, an impossible date or time, a leap second,
/// or an instant the clock cannot represent.
std::optional<std::chrono::system_clock::time_point>
parse_rfc3339(std::string_view text);

} // namespace idclaim::domain
