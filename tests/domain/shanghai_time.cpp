#define CAF_SUITE domain.shanghai_time
#include <caf/test/unit_test.hpp>

#include "domain/shanghai_time.hpp"

#include <ctime>
#include <optional>
#include <ratio>
#include <string>
#include <type_traits>

using namespace idclaim::domain;
using namespace std::chrono;
using std::chrono::system_clock;

namespace {

// UTC instants built with the C library, independently of the code under
// test.
system_clock::time_point utc(int year, int month, int day, int hour = 0,
                             int minute = 0, int second = 0) {
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return system_clock::from_time_t(timegm(&tm));
}

std::string parsed(std::string_view text) {
  auto t = parse_rfc3339(text);
  if (!t)
    return "invalid";
  auto s = duration_cast<seconds>(t->time_since_epoch()).count();
  auto ns = duration_cast<nanoseconds>(t->time_since_epoch()).count()
            % 1000000000;
  return std::to_string(s) + "s+" + std::to_string(ns) + "ns";
}

std::string expected_at(system_clock::time_point t, int64_t nanos = 0) {
  auto s = duration_cast<seconds>(t.time_since_epoch()).count();
  return std::to_string(s) + "s+" + std::to_string(nanos) + "ns";
}

} // namespace

// -- calendar date ------------------------------------------------------------

CAF_TEST(the shanghai day starts at 16 : 00 utc) {
  CAF_CHECK_EQUAL(shanghai_date(utc(2026, 12, 3, 15, 59, 59)),
                  (civil_date{2026, 12, 3}));
  CAF_CHECK_EQUAL(
    shanghai_date(utc(2026, 12, 3, 15, 59, 59) + nanoseconds{999'999'999}),
    (civil_date{2026, 12, 3}));
  CAF_CHECK_EQUAL(shanghai_date(utc(2026, 12, 3, 16)),
                  (civil_date{2026, 12, 4}));
  CAF_CHECK_EQUAL(shanghai_date(utc(2026, 12, 31, 16)),
                  (civil_date{2027, 1, 1}));
  CAF_CHECK_EQUAL(shanghai_date(utc(1969, 12, 31, 16)),
                  (civil_date{1970, 1, 1}));
  CAF_CHECK_EQUAL(shanghai_date(utc(1969, 12, 31, 15, 59, 59)),
                  (civil_date{1969, 12, 31}));
}

CAF_TEST(daylight saving time of 1988 comes from icu) {
  // China observed DST from 1986 to 1991, so at 15:30 UTC on 1988-07-01 it
  // was already 00:30 on July 2nd in Shanghai; a fixed +08:00 says 23:30.
  CAF_CHECK_EQUAL(shanghai_date(utc(1988, 7, 1, 15, 30)),
                  (civil_date{1988, 7, 2}));
  CAF_CHECK_EQUAL(format_rfc3339(utc(1988, 7, 1)), "1988-07-01T09:00:00+09:00");
  CAF_CHECK_EQUAL(format_rfc3339(utc(1988, 1, 1)), "1988-01-01T08:00:00+08:00");
  CAF_CHECK(next_shanghai_midnight(utc(1988, 7, 1, 12)) == utc(1988, 7, 1, 15));
}

// -- quota reset --------------------------------------------------------------

CAF_TEST(next midnight is the start of the next shanghai day) {
  CAF_CHECK(next_shanghai_midnight(utc(2026, 12, 3, 12, 1, 2))
            == utc(2026, 12, 3, 16));
  CAF_CHECK(next_shanghai_midnight(utc(2026, 12, 3, 15, 59, 59)
                                   + nanoseconds{999'999'999})
            == utc(2026, 12, 3, 16));
  // At midnight itself the next reset is a day later, never `t`.
  CAF_CHECK(next_shanghai_midnight(utc(2026, 12, 3, 16))
            == utc(2026, 12, 4, 16));
  CAF_CHECK(next_shanghai_midnight(utc(2026, 12, 31, 20))
            == utc(2027, 1, 1, 16));
  CAF_CHECK_EQUAL(format_rfc3339(next_shanghai_midnight(utc(2026, 12, 3))),
                  "2026-12-04T00:00:00+08:00");
}

CAF_TEST(next midnight agrees with the date everywhere) {
  // Steps of 7 h 13 min through the DST years and a recent stretch; only
  // mismatches are reported.
  int checked = 0;
  int mismatches = 0;
  auto check_range = [&](system_clock::time_point from,
                         system_clock::time_point to) {
    for (auto t = from; t < to; t += hours{7} + minutes{13}) {
      auto m = next_shanghai_midnight(t);
      bool ok = m > t && shanghai_date(m) == next_day(shanghai_date(t))
                && shanghai_date(m - nanoseconds{1}) == shanghai_date(t)
                && format_rfc3339(m).substr(10, 9) == "T00:00:00";
      if (!ok) {
        CAF_CHECK_EQUAL(format_rfc3339(t) + " -> " + format_rfc3339(m), "");
        ++mismatches;
      }
      ++checked;
    }
  };
  check_range(utc(1985, 1, 1), utc(1993, 1, 1));
  check_range(utc(2025, 1, 1), utc(2028, 1, 1));
  CAF_MESSAGE(checked << " instants checked");
  CAF_CHECK_EQUAL(mismatches, 0);
}

// -- formatting ---------------------------------------------------------------

CAF_TEST(format uses shanghai time and its offset) {
  CAF_CHECK_EQUAL(format_rfc3339(utc(2026, 12, 3, 12, 1, 2)),
                  "2026-12-03T20:01:02+08:00");
  CAF_CHECK_EQUAL(
    format_rfc3339(utc(2026, 12, 3, 12, 1, 2) + milliseconds{999}),
    "2026-12-03T20:01:02+08:00");
  CAF_CHECK_EQUAL(format_rfc3339(utc(1970, 1, 1)), "1970-01-01T08:00:00+08:00");
  CAF_CHECK_EQUAL(format_rfc3339(utc(1970, 1, 1) - milliseconds{500}),
                  "1970-01-01T07:59:59+08:00");
  CAF_CHECK_EQUAL(format_rfc3339(utc(2026, 12, 31, 16)),
                  "2027-01-01T00:00:00+08:00");
}

CAF_TEST(stored milliseconds format like time points) {
  // 2026-12-03T12:01:02.999Z is 1'796'299'262'999 ms after the epoch.
  CAF_CHECK_EQUAL(format_rfc3339_ms(1'796'299'262'999),
                  "2026-12-03T20:01:02+08:00");
  CAF_CHECK_EQUAL(format_rfc3339_ms(-500), "1970-01-01T07:59:59+08:00");
}

// -- parsing ------------------------------------------------------------------

CAF_TEST(parse accepts any offset) {
  auto t = utc(2026, 12, 3, 12, 1, 2);
  CAF_CHECK_EQUAL(parsed("2026-12-03T20:01:02+08:00"), expected_at(t));
  CAF_CHECK_EQUAL(parsed("2026-12-03T12:01:02Z"), expected_at(t));
  CAF_CHECK_EQUAL(parsed("2026-12-03t12:01:02z"), expected_at(t));
  CAF_CHECK_EQUAL(parsed("2026-12-03 12:01:02Z"), expected_at(t));
  CAF_CHECK_EQUAL(parsed("2026-12-03T07:01:02-05:00"), expected_at(t));
  CAF_CHECK_EQUAL(parsed("2026-12-03T12:01:02+00:00"), expected_at(t));
  CAF_CHECK_EQUAL(parsed("2026-12-03T12:01:02-00:00"), expected_at(t));
  CAF_CHECK_EQUAL(parsed("2026-12-04T01:46:02+13:45"), expected_at(t));
  CAF_CHECK_EQUAL(parsed("2026-12-03T12:01:02.5Z"),
                  expected_at(t, 500'000'000));
  CAF_CHECK_EQUAL(parsed("2026-12-03T12:01:02.123456789Z"),
                  expected_at(t, 123'456'789));
  CAF_CHECK_EQUAL(parsed("2026-12-03T12:01:02.1234567891Z"),
                  expected_at(t, 123'456'789));
  CAF_CHECK_EQUAL(parsed("1969-12-31T23:59:59Z"),
                  expected_at(utc(1969, 12, 31, 23, 59, 59)));
  CAF_CHECK_EQUAL(parsed("2024-02-29T00:00:00+08:00"),
                  expected_at(utc(2024, 2, 28, 16)));
}

CAF_TEST(parse refuses everything else) {
  for (const char* bad : {"",
                          "2026-12-03",
                          "2026-12-03T20:01:02",
                          "2026-12-03T20:01+08:00",
                          "2026-12-03T20:01:02+0800",
                          "2026-12-03T20:01:02+08",
                          "2026-12-03T20:01:02 +08:00",
                          "2026-12-03T20:01:02+24:00",
                          "2026-12-03T20:01:02+08:60",
                          "2026-12-03T24:00:00Z",
                          "2026-12-03T23:60:00Z",
                          "2026-12-03T23:59:60Z",
                          "2026-02-29T00:00:00Z",
                          "2026-13-01T00:00:00Z",
                          "2026-00-01T00:00:00Z",
                          "2026-12-00T00:00:00Z",
                          "2026-12-03T20:01:02.Z",
                          "2026-12-03T20:01:02Zjunk",
                          "26-12-03T20:01:02Z",
                          "2026/12/03T20:01:02Z",
                          "2026-12-03X20:01:02Z",
                          "+2026-12-03T20:01:02Z",
                          "２０２６-12-03T20:01:02Z"})
    CAF_CHECK_EQUAL(parsed(bad) + " <- " + bad,
                    std::string{"invalid <- "} + bad);
}

CAF_TEST(parse refuses instants the clock cannot hold) {
  if constexpr (std::is_same_v<system_clock::period, std::nano>) {
    CAF_CHECK_EQUAL(parsed("9999-12-31T23:59:59Z"), "invalid");
    CAF_CHECK_EQUAL(parsed("0001-01-01T00:00:00Z"), "invalid");
    CAF_CHECK_EQUAL(parsed("2262-04-12T00:00:00Z"), "invalid");
  }
  CAF_CHECK_EQUAL(parsed("2262-01-01T00:00:00Z"), expected_at(utc(2262, 1, 1)));
}

CAF_TEST(format and parse round trip) {
  for (const char* text :
       {"2026-12-03T20:01:02+08:00", "1988-07-01T09:00:00+09:00",
        "2000-02-29T23:59:59+08:00", "1970-01-01T00:00:00+08:00"}) {
    auto t = parse_rfc3339(text);
    CAF_REQUIRE(t.has_value());
    CAF_CHECK_EQUAL(format_rfc3339(*t), text);
  }
  auto t = utc(2026, 12, 3, 12, 1, 2) + milliseconds{750};
  auto back = parse_rfc3339(format_rfc3339(t));
  CAF_REQUIRE(back.has_value());
  CAF_CHECK(*back == utc(2026, 12, 3, 12, 1, 2));
}
