#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "domain/civil_date.hpp"
#include "domain/errors.hpp"

namespace idclaim::domain {

/// The kinds of identity document a student may register with (证件类型).
enum class id_type : uint8_t {
  resident,         ///< 居民身份证
  hk_macao_permit,  ///< 港澳居民来往内地通行证
  taiwan_permit,    ///< 台湾居民来往大陆通行证
  residence_permit, ///< 港澳台居民居住证
  passport,         ///< 护照
};

/// Parses the API name of an ID type ("resident", "passport", ...); exact,
/// case-sensitive match, since the names are API constants.
std::optional<id_type> parse_id_type(std::string_view name);

/// The API name of `type`, the inverse of parse_id_type.
std::string_view to_string(id_type type);

/// The rule an ID number broke, in the order the checks run.
enum class id_rule : uint8_t {
  empty,             ///< nothing left after removing spaces
  length,            ///< wrong number of characters
  characters,        ///< a character the type never contains
  region,            ///< unknown region (administrative division) code
  birth_date,        ///< not a calendar date, or before 1900-01-01
  future_birth_date, ///< a birth date after today (Asia/Shanghai)
  check_character,   ///< GB 11643-1999 check character does not match
  format,            ///< right characters and length, wrong layout
};

/// A stable snake_case name for `rule` ("length", "check_character", ...),
/// for logs and metrics.
std::string_view rule_name(id_rule rule);

/// An ID number that passed every check of its type, in canonical form:
/// ASCII, upper-case, no spaces, and resident IDs always 18 characters.
struct normalized_id {
  id_type type;       ///< the document type
  std::string number; ///< the canonical number
};

/// Why an ID number was refused.
struct id_rejection {
  id_rule rule;        ///< the first rule that failed
  std::string message; ///< zh-CN text for the user, never echoing the input
};

/// The result of parse_id_number: the canonical ID or the reason it failed.
using id_parse_result = std::variant<normalized_id, id_rejection>;

/// Normalises the way users type ID numbers: NFKC (full-width digits and
/// letters, U+3000), removes every space and invisible format character,
/// upper-cases ASCII letters. Does not validate; the result may be empty or
/// contain non-ASCII characters.
std::string normalize_id_text(std::string_view raw);

/// The GB 11643-1999 (ISO 7064 MOD 11-2) check character for the first 17
/// digits of a resident ID: '0'-'9' or 'X'. Returns nullopt unless
/// `first17` is exactly 17 ASCII digits.
std::optional<char> gb11643_check_character(std::string_view first17);

/// Validates and canonicalises `raw` as a number of `type`. `today` is the
/// current Asia/Shanghai date; a birth date after it is refused. A 15-digit
/// legacy resident ID is upgraded to its 18-digit form.
id_parse_result parse_id_number(id_type type, std::string_view raw,
                                civil_date today);

/// The field error for a rejection: code id_invalid, field "id_number".
problem to_problem(const id_rejection& rejection);

/// The text fed to the blind index: "<type>:<number>", e.g.
/// "resident:11010519491231002X". Because the number is canonical, a
/// 15-digit legacy ID and its 18-digit upgrade give the same text.
std::string claim_text(const normalized_id& id);

} // namespace idclaim::domain
