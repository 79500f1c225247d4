#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace idclaim::domain {

/// A calendar date in the proleptic Gregorian calendar, without a time zone.
/// Plain aggregate so that `civil_date{2026, 12, 3}` reads like the date.
struct civil_date {
  int year;  ///< e.g. 2026
  int month; ///< 1-12
  int day;   ///< 1-31
};

/// True for Gregorian leap years: every 4th year, except centuries that are
/// not divisible by 400 (so 2000 is one and 1900 is not).
constexpr bool is_leap_year(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/// The number of days in `month` of `year`; 0 for a month outside 1-12.
constexpr int days_in_month(int year, int month) {
  constexpr int lengths[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12)
    return 0;
  return month == 2 && is_leap_year(year) ? 29 : lengths[month - 1];
}

/// True if `d` names a day that exists (Feb 29 only in leap years).
constexpr bool is_valid(const civil_date& d) {
  return d.day >= 1 && d.day <= days_in_month(d.year, d.month);
}

/// Days since 1970-01-01 (negative before it). Counts in 400-year eras that
/// start on March 1st, so the leap day is the last day of its year and every
/// month after February has a fixed offset.
constexpr int64_t days_from_civil(const civil_date& d) {
  const int64_t y = d.year - (d.month <= 2 ? 1 : 0);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t year_of_era = y - era * 400;           // [0, 399]
  const int64_t month_from_march = (d.month + 9) % 12; // Mar = 0
  const int64_t day_of_year = (153 * month_from_march + 2) / 5 + d.day - 1;
  const int64_t day_of_era = year_of_era * 365 + year_of_era / 4
                             - year_of_era / 100 + day_of_year;
  constexpr int64_t era_days = 146097;     // days in 400 years
  constexpr int64_t epoch_offset = 719468; // 0000-03-01 .. 1970-01-01
  return era * era_days + day_of_era - epoch_offset;
}

/// The inverse of days_from_civil.
constexpr civil_date civil_from_days(int64_t days) {
  const int64_t shifted = days + 719468;
  const int64_t era = (shifted >= 0 ? shifted : shifted - 146096) / 146097;
  const int64_t day_of_era = shifted - era * 146097; // [0, 146096]
  const int64_t year_of_era = (day_of_era - day_of_era / 1460
                               + day_of_era / 36524 - day_of_era / 146096)
                              / 365;
  const int64_t day_of_year
    = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t month_from_march = (5 * day_of_year + 2) / 153;
  const int day
    = static_cast<int>(day_of_year - (153 * month_from_march + 2) / 5 + 1);
  const int month = static_cast<int>(
    month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
  const int year
    = static_cast<int>(year_of_era + era * 400 + (month <= 2 ? 1 : 0));
  return civil_date{year, month, day};
}

/// The day after `d` (wraps months and years, knows leap years).
constexpr civil_date next_day(const civil_date& d) {
  return civil_from_days(days_from_civil(d) + 1);
}

/// Dates compare by year, then month, then day.
constexpr bool operator==(const civil_date& x, const civil_date& y) {
  return x.year == y.year && x.month == y.month && x.day == y.day;
}

/// See operator==.
constexpr bool operator!=(const civil_date& x, const civil_date& y) {
  return !(x == y);
}

/// Chronological order.
constexpr bool operator<(const civil_date& x, const civil_date& y) {
  if (x.year != y.year)
    return x.year < y.year;
  if (x.month != y.month)
    return x.month < y.month;
  return x.day < y.day;
}

/// Chronological order.
constexpr bool operator>(const civil_date& x, const civil_date& y) {
  return y < x;
}

/// Chronological order.
constexpr bool operator<=(const civil_date& x, const civil_date& y) {
  return !(y < x);
}

/// Chronological order.
constexpr bool operator>=(const civil_date& x, const civil_date& y) {
  return !(x < y);
}

/// ISO 8601 form "YYYY-MM-DD"; also lets caf-test print dates.
inline std::string to_string(const civil_date& d) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

} // namespace idclaim::domain
