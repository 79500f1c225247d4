#include "domain/id_number.hpp"

#include <algorithm>
#include <array>
#include <climits>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

namespace idclaim::domain {

namespace {

// -- type names ---------------------------------------------------------------

struct type_names {
  id_type type;
  std::string_view api;     // the JSON value of `id_type`
  std::string_view display; // used in zh-CN messages
};

constexpr type_names type_table[] = {
  {id_type::resident, "resident", "居民身份证号码"},
  {id_type::hk_macao_permit, "hk_macao_permit", "港澳居民来往内地通行证号码"},
  {id_type::taiwan_permit, "taiwan_permit", "台湾居民来往大陆通行证号码"},
  {id_type::residence_permit, "residence_permit", "港澳台居民居住证号码"},
  {id_type::passport, "passport", "护照号码"},
};

std::string_view display_name(id_type type) {
  for (auto& row : type_table)
    if (row.type == type)
      return row.display;
  return "证件号码";
}

// -- small helpers ------------------------------------------------------------

// Anything longer is not an ID number even with generous spacing; refusing
// early keeps a hostile input away from the normaliser.
constexpr size_t max_raw_bytes = 256;

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_upper_alnum(char c) {
  return is_digit(c) || (c >= 'A' && c <= 'Z');
}

bool all_digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), is_digit);
}

int to_int(std::string_view digits) {
  int result = 0;
  for (char c : digits)
    result = result * 10 + (c - '0');
  return result;
}

id_rejection reject(id_rule rule, id_type type, std::string_view what) {
  std::string message{display_name(type)};
  message += what;
  return id_rejection{rule, std::move(message)};
}

// Spaces of every kind and invisible characters (zero-width space, BOM, ...)
// arrive with numbers pasted from chat apps and documents.
bool is_droppable(UChar32 c) {
  return u_hasBinaryProperty(c, UCHAR_WHITE_SPACE)
         || u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
}

icu::UnicodeString nfkc(std::string_view utf8) {
  auto len = static_cast<int32_t>(std::min(utf8.size(), size_t{INT32_MAX}));
  auto text = icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), len));
  UErrorCode status = U_ZERO_ERROR;
  auto* normalizer = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status))
    return text; // no ICU data: ASCII input still validates correctly
  auto result = normalizer->normalize(text, status);
  return U_SUCCESS(status) ? result : text;
}

// -- resident IDs and residence permits (GB 11643-1999 layout) ----------------

// Provincial prefixes of GB/T 2260: mainland provinces, plus 71 (Taiwan),
// 81 (Hong Kong) and 82 (Macao), which the standard also lists.
bool known_province(int prefix) {
  return (prefix >= 11 && prefix <= 15) || (prefix >= 21 && prefix <= 23)
         || (prefix >= 31 && prefix <= 37) || (prefix >= 41 && prefix <= 46)
         || (prefix >= 50 && prefix <= 54) || (prefix >= 61 && prefix <= 65)
         || prefix == 71 || prefix == 81 || prefix == 82;
}

// The only region codes a 港澳台居民居住证 carries (Hong Kong, Macao, Taiwan).
bool is_permit_region(std::string_view region) {
  return region == "810000" || region == "820000" || region == "830000";
}

std::optional<id_rejection> check_layout(id_type type,
                                         std::string_view number) {
  auto bad_char = [](char c) { return !is_digit(c) && c != 'X'; };
  if (std::any_of(number.begin(), number.end(), bad_char))
    return reject(id_rule::characters, type,
                  "格式不正确：只能包含数字，最后一位可以是 X");
  bool legacy_ok = type == id_type::resident && number.size() == 15;
  if (!legacy_ok && number.size() != 18) {
    std::string what = type == id_type::resident
                         ? "长度不正确：应为 18 位（旧号码为 15 位），实际为 "
                         : "长度不正确：应为 18 位，实际为 ";
    return reject(id_rule::length, type,
                  what + std::to_string(number.size()) + " 位");
  }
  auto body = number.size() == 18 ? number.substr(0, 17) : number;
  if (!all_digits(body))
    return reject(id_rule::characters, type,
                  "格式不正确：X 只能出现在 18 位号码的最后一位");
  return std::nullopt;
}

std::optional<id_rejection> check_region(id_type type,
                                         std::string_view number) {
  auto region = number.substr(0, 6);
  if (type == id_type::residence_permit) {
    if (!is_permit_region(region))
      return reject(id_rule::region, type,
                    "地区码不正确：应以 810000、820000 或 830000 开头");
    return std::nullopt;
  }
  if (!known_province(to_int(region.substr(0, 2))))
    return reject(id_rule::region, type,
                  "地区码不正确：前两位不是有效的省级代码");
  // Such a number is a residence permit; accepting it as a resident ID too
  // would give one person two claims.
  if (is_permit_region(region))
    return reject(
      id_rule::region, type,
      "地区码属于港澳台居民居住证，请选择证件类型“港澳台居民居住证”");
  return std::nullopt;
}

std::optional<id_rejection>
check_birth_date(id_type type, std::string_view number, civil_date today) {
  civil_date birth{to_int(number.substr(6, 4)), to_int(number.substr(10, 2)),
                   to_int(number.substr(12, 2))};
  if (!is_valid(birth))
    return reject(id_rule::birth_date, type, "中的出生日期不是有效日期");
  if (birth < civil_date{1900, 1, 1})
    return reject(id_rule::birth_date, type,
                  "中的出生日期不能早于 1900 年 1 月 1 日");
  if (birth > today)
    return reject(id_rule::future_birth_date, type, "中的出生日期不能晚于今天");
  return std::nullopt;
}

// Legacy numbers predate 2000, so their two-digit year is always 19YY.
std::string upgrade_legacy(std::string_view number) {
  std::string upgraded{number.substr(0, 6)};
  upgraded += "19";
  upgraded += number.substr(6);
  upgraded += *gb11643_check_character(upgraded);
  return upgraded;
}

id_parse_result parse_gb11643(id_type type, std::string number,
                              civil_date today) {
  if (auto bad = check_layout(type, number))
    return *bad;
  if (number.size() == 15)
    number = upgrade_legacy(number);
  if (auto bad = check_region(type, number))
    return *bad;
  if (auto bad = check_birth_date(type, number, today))
    return *bad;
  if (number[17] != *gb11643_check_character(number.substr(0, 17)))
    return reject(id_rule::check_character, type,
                  "校验码（最后一位）不正确，请核对后重新输入");
  return normalized_id{type, std::move(number)};
}

// -- other document types -----------------------------------------------------

std::optional<id_rejection> check_alnum(id_type type, std::string_view number) {
  if (!std::all_of(number.begin(), number.end(), is_upper_alnum))
    return reject(id_rule::characters, type, "格式不正确：只能包含字母和数字");
  return std::nullopt;
}

id_parse_result parse_hk_macao(std::string number) {
  constexpr auto type = id_type::hk_macao_permit;
  if (auto bad = check_alnum(type, number))
    return *bad;
  bool letter_ok = number[0] == 'H' || number[0] == 'M';
  if (!letter_ok || !all_digits(std::string_view{number}.substr(1)))
    return reject(id_rule::format, type,
                  "格式不正确：应为 H 或 M 开头，后接 8 位或 10 位数字");
  if (number.size() != 9 && number.size() != 11)
    return reject(id_rule::length, type,
                  "长度不正确：H 或 M 之后应为 8 位或 10 位数字，实际为 "
                    + std::to_string(number.size() - 1) + " 位");
  return normalized_id{type, std::move(number)};
}

id_parse_result parse_taiwan(std::string number) {
  constexpr auto type = id_type::taiwan_permit;
  if (!all_digits(number))
    return reject(id_rule::characters, type, "格式不正确：只能包含数字");
  if (number.size() != 8 && number.size() != 10)
    return reject(id_rule::length, type,
                  "长度不正确：应为 8 位（旧证件为 10 位）数字，实际为 "
                    + std::to_string(number.size()) + " 位");
  return normalized_id{type, std::move(number)};
}

id_parse_result parse_passport(std::string number) {
  constexpr auto type = id_type::passport;
  if (auto bad = check_alnum(type, number))
    return *bad;
  if (number.size() < 5 || number.size() > 17)
    return reject(id_rule::length, type,
                  "长度不正确：应为 5 至 17 位字母或数字，实际为 "
                    + std::to_string(number.size()) + " 位");
  return normalized_id{type, std::move(number)};
}

} // namespace

// -- public API ---------------------------------------------------------------

std::optional<id_type> parse_id_type(std::string_view name) {
  for (auto& row : type_table)
    if (row.api == name)
      return row.type;
  return std::nullopt;
}

std::string_view to_string(id_type type) {
  for (auto& row : type_table)
    if (row.type == type)
      return row.api;
  return "unknown";
}

std::string_view rule_name(id_rule rule) {
  switch (rule) {
    case id_rule::empty:
      return "empty";
    case id_rule::length:
      return "length";
    case id_rule::characters:
      return "characters";
    case id_rule::region:
      return "region";
    case id_rule::birth_date:
      return "birth_date";
    case id_rule::future_birth_date:
      return "future_birth_date";
    case id_rule::check_character:
      return "check_character";
    case id_rule::format:
      return "format";
  }
  return "unknown";
}

std::string normalize_id_text(std::string_view raw) {
  auto text = nfkc(raw);
  icu::UnicodeString kept;
  for (int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1)) {
    auto c = text.char32At(i);
    if (!is_droppable(c))
      kept.append(c);
  }
  std::string result;
  kept.toUTF8String(result);
  // ASCII only: upper-casing other scripts could turn an invalid character
  // into a valid-looking one.
  for (auto& c : result)
    if (c >= 'a' && c <= 'z')
      c = static_cast<char>(c - 'a' + 'A');
  return result;
}

std::optional<char> gb11643_check_character(std::string_view first17) {
  if (first17.size() != 17 || !all_digits(first17))
    return std::nullopt;
  // Weight of position i is 2^(17-i) mod 11 (ISO 7064 MOD 11-2).
  constexpr std::array<int, 17> weights{7, 9, 10, 5,  8, 4, 2, 1, 6,
                                        3, 7, 9,  10, 5, 8, 4, 2};
  int sum = 0;
  for (size_t i = 0; i < first17.size(); ++i)
    sum += (first17[i] - '0') * weights[i];
  // The check value makes the weighted sum of all 18 positions ≡ 1 mod 11.
  int value = (12 - sum % 11) % 11;
  return value == 10 ? 'X' : static_cast<char>('0' + value);
}

id_parse_result parse_id_number(id_type type, std::string_view raw,
                                civil_date today) {
  if (raw.size() > max_raw_bytes)
    return reject(id_rule::length, type, "长度不正确：输入过长");
  auto number = normalize_id_text(raw);
  if (number.empty())
    return reject(id_rule::empty, type, "不能为空");
  switch (type) {
    case id_type::resident:
    case id_type::residence_permit:
      return parse_gb11643(type, std::move(number), today);
    case id_type::hk_macao_permit:
      return parse_hk_macao(std::move(number));
    case id_type::taiwan_permit:
      return parse_taiwan(std::move(number));
    case id_type::passport:
      return parse_passport(std::move(number));
  }
  return reject(id_rule::format, type, "格式不正确：不支持的证件类型");
}

problem to_problem(const id_rejection& rejection) {
  return make_problem(errc::id_invalid, "id_number", rejection.message);
}

std::string claim_text(const normalized_id& id) {
  std::string result{to_string(id.type)};
  result += ':';
  result += id.number;
  return result;
}

} // namespace idclaim::domain
