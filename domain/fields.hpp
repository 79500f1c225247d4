#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "domain/errors.hpp"

namespace idclaim::domain {

// Validation of the registration fields other than the ID number. Every
// parse_* function returns the canonical value to store, or a problem with
// the field name of API.md and a zh-CN message saying what is wrong. All
// input is UTF-8 and goes through NFKC first, so full-width characters
// (ＡＢＣ, １３８, ＠) count as their ASCII forms.

/// A username that passed parse_username.
struct valid_username {
  std::string text; ///< as the user chose it (NFKC, trimmed), for display
  std::string key;  ///< NFKC + case fold: equal keys mean the same username
};

/// Checks a username: after NFKC and trimming, 6-20 ASCII letters, digits or
/// underscores, starting with a letter. Error: username_invalid, "username".
std::variant<valid_username, problem> parse_username(std::string_view raw);

/// The uniqueness key of any typed username (NFKC + trim + case fold), without
/// validating it; for looking up an account at login.
std::string username_key(std::string_view raw);

/// Checks a new password: 8-32 characters after NFKC, at least one ASCII
/// letter and one digit, no control characters, and not containing the
/// username (ignoring case). Returns the NFKC form, which is what must be
/// hashed. Error: password_weak, "password".
std::variant<std::string, problem> parse_password(std::string_view raw,
                                                  std::string_view username);

/// The form of a password to hash or verify (NFKC), so that registration
/// and login agree whatever keyboard width the user typed with.
std::string normalize_password(std::string_view raw);

/// Checks a real name (姓名): 2-30 characters, Han characters or other
/// letters, parts separated by '·' (dot variants typed by Chinese input
/// methods become U+00B7) or, between Latin-style parts, one space. Spaces
/// around Han characters and dots are dropped. Error: name_invalid, "name".
std::variant<std::string, problem> parse_name(std::string_view raw);

/// Checks a mainland mobile number: removes spaces and hyphens and an
/// optional +86 / 86 / 0086 prefix, then requires 1[3-9] + 9 digits. Returns
/// the 11 digits. Error: mobile_invalid, "mobile".
std::variant<std::string, problem> parse_mobile(std::string_view raw);

/// Checks an optional e-mail address. Blank input gives an empty string
/// (no address). Otherwise at most 254 characters, ASCII local@domain with a
/// dotted domain; the domain is lower-cased. Error: email_invalid, "email".
std::variant<std::string, problem> parse_email(std::string_view raw);

/// Checks a school name (学校) of a student record: after NFKC and trimming,
/// runs of spaces become one space, then 1-100 characters with no control
/// characters (tab, newline, ...), no invisible format characters and no
/// ill-formed UTF-8. The result is what "same school" compares, so these
/// rules make two spellings of one name compare equal or fail visibly.
/// Error: school_invalid, "school".
std::variant<std::string, problem> parse_school(std::string_view raw);

/// Checks a class name (班级) of a student record by the rules of
/// parse_school. Error: class_invalid, "class".
std::variant<std::string, problem> parse_class_name(std::string_view raw);

/// Checks a reviewer's reason for rejecting a case with the same rules as
/// parse_school (NFKC, trimmed, 1-100 characters, no hidden characters).
/// Error: reason_invalid, "reason".
std::variant<std::string, problem> parse_reason(std::string_view raw);

/// True if `raw` is empty or only white space of any kind, including the
/// ideographic space U+3000 typed by Chinese input methods.
bool is_blank(std::string_view raw);

} // namespace idclaim::domain
