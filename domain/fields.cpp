#include "domain/fields.hpp"

#include <algorithm>
#include <climits>
#include <vector>

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>

namespace idclaim::domain {

namespace {

// -- Unicode helpers ----------------------------------------------------------

// No field is anywhere near this long; refusing early keeps a hostile input
// away from the normaliser.
constexpr size_t max_input_bytes = 1024;

using code_points = std::vector<UChar32>;

icu::UnicodeString from_utf8(std::string_view text) {
  auto len = static_cast<int32_t>(std::min(text.size(), size_t{INT32_MAX}));
  return icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), len));
}

std::string to_utf8(const icu::UnicodeString& text) {
  std::string result;
  text.toUTF8String(result);
  return result;
}

std::string to_utf8(const code_points& chars) {
  icu::UnicodeString text;
  for (auto c : chars)
    text.append(c);
  return to_utf8(text);
}

// Ill-formed UTF-8 becomes U+FFFD, which no field accepts.
code_points nfkc(std::string_view raw) {
  auto text = from_utf8(raw);
  UErrorCode status = U_ZERO_ERROR;
  auto* normalizer = icu::Normalizer2::getNFKCInstance(status);
  if (U_SUCCESS(status)) {
    auto normalized = normalizer->normalize(text, status);
    if (U_SUCCESS(status))
      text = normalized;
  }
  code_points result;
  for (int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1))
    result.push_back(text.char32At(i));
  return result;
}

std::string case_fold(const std::string& text) {
  auto unicode = from_utf8(text);
  UErrorCode status = U_ZERO_ERROR;
  auto* normalizer = icu::Normalizer2::getNFKCCasefoldInstance(status);
  if (U_SUCCESS(status)) {
    auto folded = normalizer->normalize(unicode, status);
    if (U_SUCCESS(status))
      return to_utf8(folded);
  }
  return to_utf8(unicode.foldCase());
}

bool is_space(UChar32 c) {
  return u_hasBinaryProperty(c, UCHAR_WHITE_SPACE);
}

void trim(code_points& chars) {
  auto first = std::find_if_not(chars.begin(), chars.end(), is_space);
  chars.erase(chars.begin(), first);
  while (!chars.empty() && is_space(chars.back()))
    chars.pop_back();
}

bool is_ascii_digit(UChar32 c) {
  return c >= '0' && c <= '9';
}

bool is_ascii_letter(UChar32 c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_han(UChar32 c) {
  UErrorCode status = U_ZERO_ERROR;
  return uscript_getScript(c, &status) == USCRIPT_HAN && U_SUCCESS(status);
}

// -- username -----------------------------------------------------------------

problem bad_username(std::string message) {
  return make_problem(errc::username_invalid, "username", std::move(message));
}

code_points username_chars(std::string_view raw) {
  auto chars = nfkc(raw);
  trim(chars);
  return chars;
}

// -- name ---------------------------------------------------------------------

constexpr UChar32 middle_dot = 0x00B7;

// Chinese input methods type the separator of minority and foreign names
// (阿依古丽·买买提) as any of these; NFKC unifies none of them with U+00B7.
bool is_dot_variant(UChar32 c) {
  return c == middle_dot || c == 0x30FB || c == 0x2022 || c == 0x2027
         || c == 0x2219 || c == 0x22C5;
}

bool is_name_letter(UChar32 c) {
  // U+3007 (〇) is a Han number, not a letter, but does occur in names.
  return u_isalpha(c) || c == 0x3007;
}

bool is_latin_like(UChar32 c) {
  return is_name_letter(c) && !is_han(c);
}

// Unifies the dots and keeps a space only between two non-Han letters
// ("JOHN SMITH"); Chinese names never contain one ("张 三" is "张三").
code_points canonical_name(const code_points& chars) {
  code_points out;
  bool pending_space = false;
  for (auto c : chars) {
    if (is_space(c)) {
      pending_space = true;
      continue;
    }
    if (is_dot_variant(c))
      c = middle_dot;
    if (pending_space && !out.empty() && is_latin_like(out.back())
        && is_latin_like(c))
      out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

bool dots_between_parts(const code_points& name) {
  for (size_t i = 0; i < name.size(); ++i) {
    if (name[i] != middle_dot)
      continue;
    if (i == 0 || i + 1 == name.size() || name[i - 1] == middle_dot)
      return false;
  }
  return true;
}

problem bad_name(std::string message) {
  return make_problem(errc::name_invalid, "name", std::move(message));
}

// -- e-mail -------------------------------------------------------------------

bool is_atext(char c) {
  static constexpr std::string_view specials = "!#$%&'*+-/=?^_`{|}~";
  return is_ascii_letter(c) || is_ascii_digit(c)
         || specials.find(c) != std::string_view::npos;
}

// Dot-atom: atext runs separated by single dots.
bool valid_local_part(std::string_view local) {
  if (local.empty() || local.size() > 64 || local.front() == '.'
      || local.back() == '.' || local.find("..") != std::string_view::npos)
    return false;
  return std::all_of(local.begin(), local.end(),
                     [](char c) { return c == '.' || is_atext(c); });
}

bool valid_label(std::string_view label) {
  if (label.empty() || label.size() > 63 || label.front() == '-'
      || label.back() == '-')
    return false;
  return std::all_of(label.begin(), label.end(), [](char c) {
    return is_ascii_letter(c) || is_ascii_digit(c) || c == '-';
  });
}

// A top-level domain is letters, or an IDN in its xn-- form.
bool valid_tld(std::string_view tld) {
  if (tld.size() > 4 && tld.substr(0, 4) == "xn--")
    return true;
  return tld.size() >= 2 && std::all_of(tld.begin(), tld.end(), [](char c) {
           return is_ascii_letter(c);
         });
}

bool valid_domain(std::string_view domain) {
  size_t labels = 0;
  std::string_view last;
  while (true) {
    auto dot = domain.find('.');
    last = domain.substr(0, dot);
    if (!valid_label(last))
      return false;
    ++labels;
    if (dot == std::string_view::npos)
      break;
    domain.remove_prefix(dot + 1);
  }
  return labels >= 2 && valid_tld(last);
}

std::string ascii_lower(std::string_view text) {
  std::string result{text};
  for (auto& c : result)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  return result;
}

problem bad_email(std::string message) {
  return make_problem(errc::email_invalid, "email", std::move(message));
}

// -- school and class (student records) ---------------------------------------

constexpr size_t max_label_chars = 100;

// What parse_school and parse_class_name report: the error, the field and
// the zh-CN name used in messages.
struct label_kind {
  errc code;
  const char* field;
  const char* what;
};

// Controls and format characters (zero-width space, bidi marks, ...) are
// invisible in a spreadsheet but would make two equal-looking names differ;
// U+FFFD stands for ill-formed UTF-8.
bool is_hidden(UChar32 c) {
  auto type = u_charType(c);
  return type == U_CONTROL_CHAR || type == U_FORMAT_CHAR || c == 0xFFFD;
}

// One space for every run of spaces, so "计算机  2101班" and
// "计算机 2101班" are the same class. Controls are refused before this.
code_points collapse_spaces(const code_points& chars) {
  code_points out;
  for (auto c : chars) {
    if (is_space(c)) {
      if (out.empty() || out.back() != ' ')
        out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::variant<std::string, problem> parse_label(std::string_view raw,
                                               const label_kind& kind) {
  auto bad = [&](const char* why) {
    return make_problem(kind.code, kind.field, std::string{kind.what} + why);
  };
  if (raw.size() > max_input_bytes)
    return bad("不能超过 100 个字");
  auto chars = nfkc(raw);
  trim(chars);
  if (chars.empty())
    return bad("不能为空");
  if (std::any_of(chars.begin(), chars.end(), is_hidden))
    return bad("不能包含换行、制表符等控制字符或不可见字符");
  chars = collapse_spaces(chars);
  if (chars.size() > max_label_chars)
    return bad("不能超过 100 个字");
  return to_utf8(chars);
}

} // namespace

// -- public API ---------------------------------------------------------------

std::variant<valid_username, problem> parse_username(std::string_view raw) {
  if (raw.size() > max_input_bytes)
    return bad_username("用户名长度须为 6-20 位");
  auto chars = username_chars(raw);
  if (chars.empty())
    return bad_username("请填写用户名");
  auto allowed = [](UChar32 c) {
    return is_ascii_letter(c) || is_ascii_digit(c) || c == '_';
  };
  if (!std::all_of(chars.begin(), chars.end(), allowed))
    return bad_username("用户名只能包含字母、数字和下划线");
  if (chars.size() < 6 || chars.size() > 20)
    return bad_username("用户名长度须为 6-20 位");
  if (!is_ascii_letter(chars.front()))
    return bad_username("用户名须以字母开头");
  auto text = to_utf8(chars);
  auto key = case_fold(text);
  return valid_username{std::move(text), std::move(key)};
}

std::string username_key(std::string_view raw) {
  return case_fold(to_utf8(username_chars(raw.substr(0, max_input_bytes))));
}

std::variant<std::string, problem> parse_password(std::string_view raw,
                                                  std::string_view username) {
  auto weak = [](std::string message) {
    return make_problem(errc::password_weak, "password", std::move(message));
  };
  if (raw.size() > max_input_bytes)
    return weak("密码长度须为 8-32 位");
  auto chars = nfkc(raw);
  auto is_control = [](UChar32 c) { return u_charType(c) == U_CONTROL_CHAR; };
  if (std::any_of(chars.begin(), chars.end(), is_control))
    return weak("密码不能包含控制字符");
  if (chars.size() < 8 || chars.size() > 32)
    return weak("密码长度须为 8-32 位");
  if (std::none_of(chars.begin(), chars.end(), is_ascii_letter)
      || std::none_of(chars.begin(), chars.end(), is_ascii_digit))
    return weak("密码须同时包含字母和数字");
  auto text = to_utf8(chars);
  auto user_key = username_key(username);
  if (!user_key.empty() && case_fold(text).find(user_key) != std::string::npos)
    return weak("密码不能包含用户名");
  return text;
}

std::string normalize_password(std::string_view raw) {
  return to_utf8(nfkc(raw));
}

std::variant<std::string, problem> parse_name(std::string_view raw) {
  if (raw.size() > max_input_bytes)
    return bad_name("姓名长度须为 2-30 个字");
  auto name = canonical_name(nfkc(raw));
  if (name.empty())
    return bad_name("请填写姓名");
  auto allowed = [](UChar32 c) {
    return is_name_letter(c) || c == middle_dot || c == ' ';
  };
  if (!std::all_of(name.begin(), name.end(), allowed))
    return bad_name("姓名只能包含汉字或字母");
  if (!dots_between_parts(name))
    return bad_name("姓名中的“·”只能用在两部分之间");
  if (name.size() < 2 || name.size() > 30)
    return bad_name("姓名长度须为 2-30 个字");
  return to_utf8(name);
}

std::variant<std::string, problem> parse_mobile(std::string_view raw) {
  auto bad = make_problem(errc::mobile_invalid, "mobile",
                          "手机号码须为 11 位中国大陆手机号码");
  if (raw.size() > max_input_bytes)
    return bad;
  auto chars = nfkc(raw);
  chars.erase(std::remove_if(chars.begin(), chars.end(),
                             [](UChar32 c) { return is_space(c) || c == '-'; }),
              chars.end());
  auto text = to_utf8(chars);
  std::string_view digits{text};
  if (digits.substr(0, 3) == "+86")
    digits.remove_prefix(3);
  else if (digits.size() == 15 && digits.substr(0, 4) == "0086")
    digits.remove_prefix(4);
  else if (digits.size() == 13 && digits.substr(0, 2) == "86")
    digits.remove_prefix(2);
  if (digits.size() != 11 || digits[0] != '1' || digits[1] < '3'
      || digits[1] > '9'
      || !std::all_of(digits.begin(), digits.end(), is_ascii_digit))
    return bad;
  return std::string{digits};
}

std::variant<std::string, problem> parse_email(std::string_view raw) {
  if (raw.size() > max_input_bytes)
    return bad_email("电子邮箱不能超过 254 个字符");
  auto chars = nfkc(raw);
  trim(chars);
  auto text = to_utf8(chars);
  if (text.empty())
    return std::string{};
  if (text.size() > 254)
    return bad_email("电子邮箱不能超过 254 个字符");
  auto at = text.find('@');
  if (at == std::string::npos || text.find('@', at + 1) != std::string::npos)
    return bad_email("电子邮箱格式不正确：须包含一个“@”");
  std::string_view local{text.data(), at};
  auto domain = ascii_lower(std::string_view{text}.substr(at + 1));
  if (!valid_local_part(local))
    return bad_email("电子邮箱格式不正确：“@”之前的部分无效");
  if (!valid_domain(domain))
    return bad_email("电子邮箱格式不正确：“@”之后的域名无效");
  return std::string{local} + '@' + domain;
}

std::variant<std::string, problem> parse_school(std::string_view raw) {
  return parse_label(raw, {errc::school_invalid, "school", "学校名称"});
}

std::variant<std::string, problem> parse_class_name(std::string_view raw) {
  return parse_label(raw, {errc::class_invalid, "class", "班级名称"});
}

std::variant<std::string, problem> parse_reason(std::string_view raw) {
  return parse_label(raw, {errc::reason_invalid, "reason", "驳回原因"});
}

bool is_blank(std::string_view raw) {
  auto text = from_utf8(raw);
  for (int32_t i = 0; i < text.length(); i = text.moveIndex32(i, 1))
    if (!is_space(text.char32At(i)))
      return false;
  return true;
}

} // namespace idclaim::domain
