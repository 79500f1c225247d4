#include "domain/shanghai_time.hpp"

#include <cstdint>
#include <cstdio>
#include <stdexcept>

#include <unicode/timezone.h>
#include <unicode/unistr.h>

namespace idclaim::domain {

namespace {

using clock_type = std::chrono::system_clock;

constexpr int64_t ms_per_day = 86'400'000;
constexpr int64_t seconds_per_day = 86'400;

// Created once and never freed: every thread reads it through const member
// functions only, and nothing can run after it was destroyed at exit.
const icu::TimeZone& shanghai_zone() {
  static const icu::TimeZone* zone = [] {
    auto* tz
      = icu::TimeZone::createTimeZone(icu::UnicodeString(u"Asia/Shanghai"));
    if (tz == nullptr || *tz == icu::TimeZone::getUnknown()) {
      delete tz;
      throw std::runtime_error("ICU has no time zone Asia/Shanghai");
    }
    return tz;
  }();
  return *zone;
}

// The offset from UTC in milliseconds; `local` says whether `ms` counts
// wall-clock time in Shanghai rather than UTC.
int32_t offset_ms(int64_t ms, bool local) {
  int32_t raw = 0;
  int32_t dst = 0;
  UErrorCode status = U_ZERO_ERROR;
  shanghai_zone().getOffset(static_cast<UDate>(ms), local, raw, dst, status);
  if (U_FAILURE(status))
    throw std::runtime_error("ICU failed to compute the Asia/Shanghai offset");
  return raw + dst;
}

int64_t floor_div(int64_t x, int64_t y) {
  auto q = x / y;
  return (x % y != 0 && (x < 0) != (y < 0)) ? q - 1 : q;
}

int64_t utc_ms(clock_type::time_point t) {
  using std::chrono::milliseconds;
  return std::chrono::floor<milliseconds>(t.time_since_epoch()).count();
}

// -- RFC 3339 parsing ---------------------------------------------------------

// Reads fixed-width fields left to right; every read reports success.
class cursor {
public:
  explicit cursor(std::string_view text) : text_(text) {
  }

  bool number(size_t width, int& out) {
    if (text_.size() < width)
      return false;
    out = 0;
    for (size_t i = 0; i < width; ++i) {
      char c = text_[i];
      if (c < '0' || c > '9')
        return false;
      out = out * 10 + (c - '0');
    }
    text_.remove_prefix(width);
    return true;
  }

  bool literal(std::string_view choices) {
    if (text_.empty() || choices.find(text_[0]) == std::string_view::npos)
      return false;
    last_ = text_[0];
    text_.remove_prefix(1);
    return true;
  }

  /// The character that the last successful literal() consumed.
  char last() const {
    return last_;
  }

  /// Nanoseconds of ".fraction" if present; digits beyond 9 are dropped.
  bool fraction(int64_t& nanos) {
    nanos = 0;
    if (!literal("."))
      return true;
    size_t digits = 0;
    while (!text_.empty() && text_[0] >= '0' && text_[0] <= '9') {
      if (digits < 9)
        nanos = nanos * 10 + (text_[0] - '0');
      ++digits;
      text_.remove_prefix(1);
    }
    for (size_t i = digits; i < 9; ++i)
      nanos *= 10;
    return digits > 0;
  }

  bool at_end() const {
    return text_.empty();
  }

private:
  std::string_view text_;
  char last_ = 0;
};

struct local_time {
  civil_date date{0, 0, 0};
  int hour = 0;
  int minute = 0;
  int second = 0;
};

bool parse_local(cursor& in, local_time& out) {
  auto& d = out.date;
  return in.number(4, d.year) && in.literal("-") && in.number(2, d.month)
         && in.literal("-") && in.number(2, d.day) && in.literal("Tt ")
         && in.number(2, out.hour) && in.literal(":")
         && in.number(2, out.minute) && in.literal(":")
         && in.number(2, out.second) && is_valid(d) && out.hour <= 23
         && out.minute <= 59 && out.second <= 59;
}

// The zone designator as seconds east of UTC.
bool parse_offset(cursor& in, int64_t& seconds) {
  if (!in.literal("Zz+-"))
    return false;
  char sign = in.last();
  seconds = 0;
  if (sign == 'Z' || sign == 'z')
    return true;
  int hours = 0;
  int minutes = 0;
  if (!in.number(2, hours) || !in.literal(":") || !in.number(2, minutes)
      || hours > 23 || minutes > 59)
    return false;
  seconds = (hours * 3600 + minutes * 60) * (sign == '-' ? -1 : 1);
  return true;
}

} // namespace

civil_date shanghai_date(clock_type::time_point t) {
  auto utc = utc_ms(t);
  return civil_from_days(floor_div(utc + offset_ms(utc, false), ms_per_day));
}

clock_type::time_point next_shanghai_midnight(clock_type::time_point t) {
  auto local_midnight = days_from_civil(next_day(shanghai_date(t)))
                        * ms_per_day;
  auto utc = local_midnight - offset_ms(local_midnight, true);
  return clock_type::time_point{std::chrono::milliseconds{utc}};
}

std::string format_rfc3339(clock_type::time_point t) {
  using std::chrono::seconds;
  auto utc_s = std::chrono::floor<seconds>(t.time_since_epoch()).count();
  // RFC 3339 offsets are whole minutes. Only local mean time before 1901
  // (+08:05:43) has seconds; cutting them and shifting the local time by
  // the same amount keeps the string naming the same instant.
  int64_t offset_min = offset_ms(utc_s * 1000, false) / 60'000;
  int64_t local_s = utc_s + offset_min * 60;
  auto days = floor_div(local_s, seconds_per_day);
  auto in_day = local_s - days * seconds_per_day;
  auto date = civil_from_days(days);
  auto abs_offset = offset_min < 0 ? -offset_min : offset_min;
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
                date.year, date.month, date.day,
                static_cast<int>(in_day / 3600),
                static_cast<int>(in_day / 60 % 60),
                static_cast<int>(in_day % 60), offset_min < 0 ? '-' : '+',
                static_cast<int>(abs_offset / 60),
                static_cast<int>(abs_offset % 60));
  return buf;
}

std::string format_rfc3339_ms(int64_t ms) {
  return format_rfc3339(clock_type::time_point{
    std::chrono::duration_cast<clock_type::duration>(
      std::chrono::milliseconds{ms})});
}

std::optional<clock_type::time_point> parse_rfc3339(std::string_view text) {
  cursor in{text};
  local_time local;
  int64_t nanos = 0;
  int64_t offset_s = 0;
  if (!parse_local(in, local) || !in.fraction(nanos)
      || !parse_offset(in, offset_s) || !in.at_end())
    return std::nullopt;
  int64_t utc_s = days_from_civil(local.date) * seconds_per_day
                  + local.hour * 3600 + local.minute * 60 + local.second
                  - offset_s;
  // Keep clear of the clock's limits (about ±292 years for nanoseconds).
  using std::chrono::seconds;
  auto limit
    = std::chrono::duration_cast<seconds>(clock_type::duration::max()).count()
      - 1;
  if (utc_s > limit || utc_s < -limit)
    return std::nullopt;
  auto since_epoch = clock_type::duration{seconds{utc_s}}
                     + std::chrono::floor<clock_type::duration>(
                       std::chrono::nanoseconds{nanos});
  return clock_type::time_point{since_epoch};
}

} // namespace idclaim::domain
