#define CAF_SUITE domain.id_number
#include <caf/test/unit_test.hpp>

#include "domain/id_number.hpp"

#include <ctime>
#include <optional>
#include <set>
#include <string>
#include <vector>

using namespace idclaim;
using namespace idclaim::domain;

namespace {

// -- helpers that derive expectations independently of the code under test ----

// ISO 7064 MOD 11-2 from its definition rather than from a weight table: the
// character n places left of the check character weighs 2^n mod 11, and the
// weighted sum of all 18 characters (X counting 10) is 1 mod 11.
int derived_check_value(const std::string& first17) {
  int sum = 0;
  int weight = 1;
  for (int i = 16; i >= 0; --i) {
    weight = weight * 2 % 11;
    sum += (first17[static_cast<size_t>(i)] - '0') * weight;
  }
  return ((1 - sum) % 11 + 11) % 11;
}

char check_char(int value) {
  value = (value % 11 + 11) % 11;
  return value == 10 ? 'X' : static_cast<char>('0' + value);
}

// A resident ID with the right check character.
std::string valid18(const std::string& first17) {
  return first17 + check_char(derived_check_value(first17));
}

// The same ID with its check character off by `delta`.
std::string wrong_check(const std::string& first17, int delta) {
  return first17 + check_char(derived_check_value(first17) + delta);
}

// A 17-digit body whose check value is a digit (not 10), found by trying
// sequence numbers; for the "X where a digit belongs" case.
std::string body_with_digit_check(const std::string& region_and_birth) {
  for (int seq = 100; seq < 1000; ++seq) {
    auto body = region_and_birth + std::to_string(seq);
    if (derived_check_value(body) != 10)
      return body;
  }
  return {};
}

// The same for a check value of 10 (X).
std::string body_with_x_check(const std::string& region_and_birth) {
  for (int seq = 100; seq < 1000; ++seq) {
    auto body = region_and_birth + std::to_string(seq);
    if (derived_check_value(body) == 10)
      return body;
  }
  return {};
}

void append_utf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

// ASCII -> full-width forms (U+FF01..U+FF5E); a space becomes U+3000.
std::string full_width(const std::string& ascii) {
  std::string out;
  for (char c : ascii)
    append_utf8(out, c == ' ' ? char32_t{0x3000}
                              : static_cast<char32_t>(c) + 0xFEE0);
  return out;
}

const civil_date today{2026, 12, 3};

std::string outcome(const id_parse_result& result) {
  if (auto id = std::get_if<normalized_id>(&result))
    return "accepted " + id->number;
  return "rejected by "
         + std::string{rule_name(std::get<id_rejection>(result).rule)};
}

struct id_case {
  std::string label;
  id_type type;
  std::string input;
  std::string expected; // "accepted <number>" or "rejected by <rule>"
};

std::string ok(const std::string& number) {
  return "accepted " + number;
}

std::string fails(id_rule rule) {
  return "rejected by " + std::string{rule_name(rule)};
}

// GB 11643-1999's own example; its check character is X.
const std::string standard_example = "11010519491231002X";

std::vector<id_case> resident_cases() {
  const auto r = id_type::resident;
  const std::string beijing = "110105";
  const auto digit_body = body_with_digit_check(beijing + "19900307");
  const auto x_body = body_with_x_check(beijing + "19900307");
  const auto x_id = valid18(x_body);
  std::vector<id_case> cases{
    {"standard example", r, standard_example, ok(standard_example)},
    {"lower-case x", r, "11010519491231002x", ok(standard_example)},
    {"full-width digits and X", r, full_width(standard_example),
     ok(standard_example)},
    {"full-width lower-case x", r, full_width("11010519491231002x"),
     ok(standard_example)},
    {"derived X check", r, x_id, ok(x_id)},
    {"derived x check lower", r, x_body + "x", ok(x_id)},
    {"surrounding and inner spaces", r, " 110105 19491231 002X ",
     ok(standard_example)},
    {"ideographic spaces", r, full_width("110105 19491231 002X "),
     ok(standard_example)},
    {"tab and newline", r, "\t11010519491231002X\n", ok(standard_example)},
    {"zero-width space", r, "110105\u200B19491231002X", ok(standard_example)},
    {"check off by +1", r, wrong_check("11010519491231002", 1),
     fails(id_rule::check_character)},
    {"check off by -1", r, wrong_check("11010519491231002", -1),
     fails(id_rule::check_character)},
    {"digit check is right", r, valid18(digit_body), ok(valid18(digit_body))},
    {"X where a digit belongs", r, digit_body + "X",
     fails(id_rule::check_character)},
    {"digit where X belongs", r, x_body + "0", fails(id_rule::check_character)},
    {"length 17", r, "11010519491231002", fails(id_rule::length)},
    {"length 19", r, standard_example + "0", fails(id_rule::length)},
    {"length 16", r, "1101054912310021", fails(id_rule::length)},
    {"length 14", r, "11010549123100", fails(id_rule::length)},
    {"legacy 15", r, "110105491231002", ok(standard_example)},
    {"legacy 15 full-width", r, full_width("110105 491231 002"),
     ok(standard_example)},
    {"legacy 15 with X", r, "11010549123100X", fails(id_rule::characters)},
    {"legacy 15 bad date", r, "110105490229002", fails(id_rule::birth_date)},
    {"legacy 15 bad region", r, "990105491231002", fails(id_rule::region)},
    {"empty", r, "", fails(id_rule::empty)},
    {"only spaces", r, full_width("   ") + " \t", fails(id_rule::empty)},
    {"letter inside", r, "1101051949123100A2", fails(id_rule::characters)},
    {"X in the middle", r, "1101051949X231002X", fails(id_rule::characters)},
    {"hyphen", r, "110105-19491231002X", fails(id_rule::characters)},
    {"Feb 29 leap 2000", r, valid18(beijing + "20000229001"),
     ok(valid18(beijing + "20000229001"))},
    {"Feb 29 leap 2024", r, valid18(beijing + "20240229001"),
     ok(valid18(beijing + "20240229001"))},
    {"Feb 29 non-leap 2001", r, valid18(beijing + "20010229001"),
     fails(id_rule::birth_date)},
    {"Feb 29 century 1900", r, valid18(beijing + "19000229001"),
     fails(id_rule::birth_date)},
    {"1900-01-01", r, valid18(beijing + "19000101001"),
     ok(valid18(beijing + "19000101001"))},
    {"1899-12-31", r, valid18(beijing + "18991231001"),
     fails(id_rule::birth_date)},
    {"GB 11643 example born 1880", r, "440524188001010014",
     fails(id_rule::birth_date)},
    {"born today", r, valid18(beijing + "20261203001"),
     ok(valid18(beijing + "20261203001"))},
    {"born tomorrow", r, valid18(beijing + "20261204001"),
     fails(id_rule::future_birth_date)},
    {"born next year", r, valid18(beijing + "20270101001"),
     fails(id_rule::future_birth_date)},
    {"month 13", r, valid18(beijing + "19901301001"),
     fails(id_rule::birth_date)},
    {"month 00", r, valid18(beijing + "19900001001"),
     fails(id_rule::birth_date)},
    {"day 00", r, valid18(beijing + "19900100001"), fails(id_rule::birth_date)},
    {"April 31", r, valid18(beijing + "19900431001"),
     fails(id_rule::birth_date)},
    {"region 99", r, valid18("99010519900101001"), fails(id_rule::region)},
    {"region 00", r, valid18("00010519900101001"), fails(id_rule::region)},
    {"region 16 gap", r, valid18("16010519900101001"), fails(id_rule::region)},
    {"region 65 Xinjiang", r, valid18("65010219900101001"),
     ok(valid18("65010219900101001"))},
    {"region 71 Taiwan", r, valid18("71000019900101001"),
     ok(valid18("71000019900101001"))},
    {"region 83 is no province", r, valid18("83010019900101001"),
     fails(id_rule::region)},
    {"permit region as resident", r, valid18("81000019900101001"),
     fails(id_rule::region)},
  };
  return cases;
}

std::vector<id_case> other_type_cases() {
  const auto rp = id_type::residence_permit;
  const auto hk = id_type::hk_macao_permit;
  const auto tw = id_type::taiwan_permit;
  const auto pp = id_type::passport;
  const auto hk_permit = valid18("81000019900101001");
  return {
    {"permit Hong Kong", rp, hk_permit, ok(hk_permit)},
    {"permit Macao", rp, valid18("82000019900101001"),
     ok(valid18("82000019900101001"))},
    {"permit Taiwan", rp, valid18("83000019900101001"),
     ok(valid18("83000019900101001"))},
    {"permit mainland region", rp, valid18("11010519900101001"),
     fails(id_rule::region)},
    {"permit county code", rp, valid18("81010019900101001"),
     fails(id_rule::region)},
    {"permit 15 digits", rp, "810000900101001", fails(id_rule::length)},
    {"permit wrong check", rp, wrong_check("81000019900101001", 1),
     fails(id_rule::check_character)},
    {"permit born tomorrow", rp, valid18("81000020261204001"),
     fails(id_rule::future_birth_date)},
    {"hk H + 8", hk, "H12345678", ok("H12345678")},
    {"hk lower h", hk, "h12345678", ok("H12345678")},
    {"hk M + 10", hk, "M1234567890", ok("M1234567890")},
    {"hk full-width", hk, full_width("M1234 5678"), ok("M12345678")},
    {"hk H + 7", hk, "H1234567", fails(id_rule::length)},
    {"hk H + 9", hk, "H123456789", fails(id_rule::length)},
    {"hk H + 11", hk, "H12345678901", fails(id_rule::length)},
    {"hk wrong letter", hk, "A12345678", fails(id_rule::format)},
    {"hk no letter", hk, "123456789", fails(id_rule::format)},
    {"hk letter inside", hk, "H1234567A", fails(id_rule::format)},
    {"hk hyphen", hk, "H-12345678", fails(id_rule::characters)},
    {"tw 8 digits", tw, "12345678", ok("12345678")},
    {"tw 10 digits", tw, "1234567890", ok("1234567890")},
    {"tw 7 digits", tw, "1234567", fails(id_rule::length)},
    {"tw 9 digits", tw, "123456789", fails(id_rule::length)},
    {"tw 11 digits", tw, "12345678901", fails(id_rule::length)},
    {"tw letter", tw, "1234567A", fails(id_rule::characters)},
    {"passport typical", pp, "E12345678", ok("E12345678")},
    {"passport lower", pp, "e12345678", ok("E12345678")},
    {"passport full-width", pp, full_width("EA1234567"), ok("EA1234567")},
    {"passport 5", pp, "AB123", ok("AB123")},
    {"passport 4", pp, "AB12", fails(id_rule::length)},
    {"passport 17", pp, "A1234567890123456", ok("A1234567890123456")},
    {"passport 18", pp, "A12345678901234567", fails(id_rule::length)},
    {"passport digit first", pp, "123456789", ok("123456789")},
    {"passport hyphen", pp, "E1234-5678", fails(id_rule::characters)},
    {"passport Chinese", pp, "护照12345", fails(id_rule::characters)},
    {"passport empty", pp, " ", fails(id_rule::empty)},
  };
}

void run_cases(const std::vector<id_case>& cases) {
  for (auto& c : cases) {
    auto actual = outcome(parse_id_number(c.type, c.input, today));
    CAF_CHECK_EQUAL(c.label + ": " + actual, c.label + ": " + c.expected);
  }
}

} // namespace

CAF_TEST(resident id table) {
  auto cases = resident_cases();
  CAF_MESSAGE(cases.size() << " resident cases");
  run_cases(cases);
}

CAF_TEST(other id types table) {
  auto cases = other_type_cases();
  CAF_MESSAGE(cases.size() << " cases of other types");
  run_cases(cases);
}

CAF_TEST(legacy and upgraded ids share a claim) {
  // Several legacy numbers; the expected 18-digit form is built by the
  // standard's rule (insert 19, append the check character).
  for (std::string legacy : {"110105491231002", "440524800101001",
                             "320106751203123", "650102640229001"}) {
    auto upgraded = valid18(legacy.substr(0, 6) + "19" + legacy.substr(6));
    auto from_legacy = parse_id_number(id_type::resident, legacy, today);
    auto from_full = parse_id_number(id_type::resident, upgraded, today);
    CAF_REQUIRE(std::holds_alternative<normalized_id>(from_legacy));
    CAF_REQUIRE(std::holds_alternative<normalized_id>(from_full));
    auto& a = std::get<normalized_id>(from_legacy);
    auto& b = std::get<normalized_id>(from_full);
    CAF_CHECK_EQUAL(a.number, upgraded);
    CAF_CHECK_EQUAL(claim_text(a), claim_text(b));
    CAF_CHECK_EQUAL(claim_text(b), "resident:" + upgraded);
  }
}

CAF_TEST(claim text includes the type) {
  auto tw = parse_id_number(id_type::taiwan_permit, "12345678", today);
  auto pp = parse_id_number(id_type::passport, "12345678", today);
  CAF_REQUIRE(std::holds_alternative<normalized_id>(tw));
  CAF_REQUIRE(std::holds_alternative<normalized_id>(pp));
  CAF_CHECK_EQUAL(claim_text(std::get<normalized_id>(tw)),
                  "taiwan_permit:12345678");
  CAF_CHECK_EQUAL(claim_text(std::get<normalized_id>(pp)), "passport:12345678");
}

CAF_TEST(today is a parameter) {
  auto id = valid18("11010520261204001");
  auto before = parse_id_number(id_type::resident, id, today);
  auto after = parse_id_number(id_type::resident, id, civil_date{2026, 12, 4});
  CAF_CHECK_EQUAL(outcome(before), fails(id_rule::future_birth_date));
  CAF_CHECK_EQUAL(outcome(after), ok(id));
}

CAF_TEST(messages say what is wrong) {
  struct expectation {
    id_type type;
    std::string input;
    std::string keyword;
  };
  std::vector<expectation> expectations{
    {id_type::resident, "", "不能为空"},
    {id_type::resident, "11010519491231002", "长度"},
    {id_type::resident, "1101051949123100A2", "格式"},
    {id_type::resident, valid18("99010519900101001"), "地区码"},
    {id_type::resident, valid18("11010520010229001"), "出生日期"},
    {id_type::resident, valid18("11010520261204001"), "出生日期"},
    {id_type::resident, wrong_check("11010519491231002", 1), "校验码"},
    {id_type::hk_macao_permit, "A12345678", "格式"},
    {id_type::passport, "AB12", "长度"},
  };
  for (auto& e : expectations) {
    auto result = parse_id_number(e.type, e.input, today);
    CAF_REQUIRE(std::holds_alternative<id_rejection>(result));
    auto& message = std::get<id_rejection>(result).message;
    CAF_CHECK(message.find(e.keyword) != std::string::npos);
    // The message never echoes the number (it may reach logs).
    if (e.input.size() >= 6)
      CAF_CHECK(message.find(e.input.substr(0, 6)) == std::string::npos);
  }
}

CAF_TEST(overlong input is refused before normalising) {
  std::string huge(10'000, '1');
  auto result = parse_id_number(id_type::resident, huge, today);
  CAF_CHECK_EQUAL(outcome(result), fails(id_rule::length));
}

CAF_TEST(ill - formed utf8 is a character error) {
  auto result = parse_id_number(id_type::resident, "11010519491231002\xFF",
                                today);
  CAF_CHECK_EQUAL(outcome(result), fails(id_rule::characters));
}

CAF_TEST(rejections become id_invalid problems) {
  auto result = parse_id_number(id_type::resident, "123", today);
  CAF_REQUIRE(std::holds_alternative<id_rejection>(result));
  auto& rejection = std::get<id_rejection>(result);
  auto p = to_problem(rejection);
  CAF_CHECK(p.code == errc::id_invalid);
  CAF_CHECK_EQUAL(p.field, "id_number");
  CAF_CHECK_EQUAL(p.message, rejection.message);
  CAF_CHECK_EQUAL(std::string{p.text()}, rejection.message);
}

CAF_TEST(check character agrees with the definition) {
  // A deterministic walk over many bodies (linear congruential generator).
  uint64_t state = 12345;
  int mismatches = 0;
  for (int i = 0; i < 2000; ++i) {
    std::string body;
    for (int j = 0; j < 17; ++j) {
      state = state * 6364136223846793005u + 1442695040888963407u;
      body += static_cast<char>('0' + (state >> 33) % 10);
    }
    auto expected = check_char(derived_check_value(body));
    auto actual = gb11643_check_character(body).value_or('?');
    if (actual != expected) {
      CAF_CHECK_EQUAL(body + actual, body + expected);
      ++mismatches;
    }
  }
  CAF_CHECK_EQUAL(mismatches, 0);
  CAF_CHECK_EQUAL(gb11643_check_character("11010519491231002"),
                  std::optional<char>{'X'});
  CAF_CHECK(!gb11643_check_character("1101051949123100"));
  CAF_CHECK(!gb11643_check_character("110105194912310021"));
  CAF_CHECK(!gb11643_check_character("1101051949123100A"));
}

CAF_TEST(normalize id text) {
  CAF_CHECK_EQUAL(normalize_id_text(" ａｂ\u3000１\u00A0x\u200B "), "AB1X");
  CAF_CHECK_EQUAL(normalize_id_text(""), "");
}

CAF_TEST(id type names round trip) {
  const id_type all[] = {id_type::resident, id_type::hk_macao_permit,
                         id_type::taiwan_permit, id_type::residence_permit,
                         id_type::passport};
  const char* names[] = {"resident", "hk_macao_permit", "taiwan_permit",
                         "residence_permit", "passport"};
  for (size_t i = 0; i < 5; ++i) {
    CAF_CHECK_EQUAL(std::string{to_string(all[i])}, names[i]);
    auto parsed = parse_id_type(names[i]);
    CAF_REQUIRE(parsed.has_value());
    CAF_CHECK(*parsed == all[i]);
  }
  for (const char* bad : {"", "Resident", "id_card", "resident ", "hk"})
    CAF_CHECK(!parse_id_type(bad).has_value());
}

CAF_TEST(rule names are distinct) {
  const id_rule all[] = {id_rule::empty,           id_rule::length,
                         id_rule::characters,      id_rule::region,
                         id_rule::birth_date,      id_rule::future_birth_date,
                         id_rule::check_character, id_rule::format};
  std::set<std::string> seen;
  for (auto rule : all)
    seen.emplace(rule_name(rule));
  CAF_CHECK_EQUAL(seen.size(), 8u);
  CAF_CHECK_EQUAL(std::string{rule_name(id_rule::length)}, "length");
  CAF_CHECK_EQUAL(std::string{rule_name(id_rule::check_character)},
                  "check_character");
}

// -- civil_date ---------------------------------------------------------------

CAF_TEST(leap years) {
  CAF_CHECK(is_leap_year(2000));
  CAF_CHECK(is_leap_year(2024));
  CAF_CHECK(!is_leap_year(1900));
  CAF_CHECK(!is_leap_year(2100));
  CAF_CHECK(!is_leap_year(2026));
  CAF_CHECK(is_valid(civil_date{2000, 2, 29}));
  CAF_CHECK(!is_valid(civil_date{1900, 2, 29}));
  CAF_CHECK(!is_valid(civil_date{2026, 2, 29}));
  CAF_CHECK(is_valid(civil_date{2026, 12, 31}));
  CAF_CHECK(!is_valid(civil_date{2026, 11, 31}));
  CAF_CHECK(!is_valid(civil_date{2026, 0, 1}));
  CAF_CHECK(!is_valid(civil_date{2026, 13, 1}));
  CAF_CHECK(!is_valid(civil_date{2026, 1, 0}));
}

CAF_TEST(date order) {
  civil_date a{2026, 12, 3};
  civil_date b{2026, 12, 4};
  civil_date c{2027, 1, 1};
  CAF_CHECK(a < b && b < c && a < c);
  CAF_CHECK(c > a && b >= a && a <= a && a >= a);
  CAF_CHECK(a == civil_date{2026, 12, 3});
  CAF_CHECK(a != b);
  CAF_CHECK(civil_date{2026, 11, 30} < civil_date{2026, 12, 1});
  CAF_CHECK_EQUAL(to_string(a), "2026-12-03");
}

CAF_TEST(day numbers agree with the C library) {
  // timegm is an independent implementation of the same calendar.
  for (civil_date d : {civil_date{1970, 1, 1}, civil_date{1900, 3, 1},
                       civil_date{2000, 2, 29}, civil_date{1969, 12, 31},
                       civil_date{2026, 12, 3}, civil_date{2400, 12, 31}}) {
    std::tm tm{};
    tm.tm_year = d.year - 1900;
    tm.tm_mon = d.month - 1;
    tm.tm_mday = d.day;
    auto expected = static_cast<int64_t>(timegm(&tm)) / 86'400;
    CAF_CHECK_EQUAL(days_from_civil(d), expected);
    CAF_CHECK_EQUAL(civil_from_days(expected), d);
  }
}

CAF_TEST(next day walks the calendar) {
  // From 1899-12-31 to 2101-01-01 every step is +1 day, rolling the month
  // and year exactly when the day passes days_in_month.
  // Only mismatches are reported, so the log stays short.
  civil_date d{1899, 12, 31};
  auto n = days_from_civil(d);
  int steps = 0;
  int mismatches = 0;
  while (d < civil_date{2101, 1, 1}) {
    auto next = next_day(d);
    civil_date expected = d.day < days_in_month(d.year, d.month)
                            ? civil_date{d.year, d.month, d.day + 1}
                          : d.month < 12 ? civil_date{d.year, d.month + 1, 1}
                                         : civil_date{d.year + 1, 1, 1};
    if (next != expected || days_from_civil(next) != ++n) {
      CAF_CHECK_EQUAL(next, expected);
      ++mismatches;
    }
    d = next;
    ++steps;
  }
  CAF_CHECK_EQUAL(mismatches, 0);
  CAF_CHECK_EQUAL(steps, 73'415); // 201 years + 1 day, 49 of them leap
}
