#define CAF_SUITE domain.fields
#include <caf/test/unit_test.hpp>

#include "domain/fields.hpp"

#include <string>

using namespace idclaim;
using namespace idclaim::domain;

namespace {

// The value of an accepted field, or "<CODE field>" of the problem, so one
// CAF_CHECK_EQUAL shows both outcomes readably.
template <class T>
std::string outcome(const std::variant<T, problem>& result) {
  if (auto p = std::get_if<problem>(&result))
    return "<" + std::string{info(p->code).code} + " " + p->field + ">";
  if constexpr (std::is_same_v<T, valid_username>)
    return std::get<T>(result).text;
  else
    return std::get<T>(result);
}

const std::string bad_username = "<USERNAME_INVALID username>";
const std::string weak_password = "<PASSWORD_WEAK password>";
const std::string bad_name = "<NAME_INVALID name>";
const std::string bad_mobile = "<MOBILE_INVALID mobile>";
const std::string bad_email = "<EMAIL_INVALID email>";
const std::string bad_school = "<SCHOOL_INVALID school>";
const std::string bad_class = "<CLASS_INVALID class>";
const std::string bad_reason = "<REASON_INVALID reason>";

std::string message_of(const std::variant<std::string, problem>& result) {
  auto p = std::get_if<problem>(&result);
  return p ? std::string{p->text()} : std::string{};
}

} // namespace

// -- username -----------------------------------------------------------------

CAF_TEST(usernames of the right shape pass) {
  CAF_CHECK_EQUAL(outcome(parse_username("abc_DEF1")), "abc_DEF1");
  CAF_CHECK_EQUAL(outcome(parse_username("abcdef")), "abcdef");
  CAF_CHECK_EQUAL(outcome(parse_username("a1234567890123456789")),
                  "a1234567890123456789");
  CAF_CHECK_EQUAL(outcome(parse_username("  student_01 ")), "student_01");
  CAF_CHECK_EQUAL(outcome(parse_username("ＡＢＣ_def1")), "ABC_def1");
}

CAF_TEST(usernames of the wrong shape fail) {
  CAF_CHECK_EQUAL(outcome(parse_username("")), bad_username);
  CAF_CHECK_EQUAL(outcome(parse_username("abcde")), bad_username);
  CAF_CHECK_EQUAL(outcome(parse_username("a12345678901234567890")),
                  bad_username);
  CAF_CHECK_EQUAL(outcome(parse_username("1abcdef")), bad_username);
  CAF_CHECK_EQUAL(outcome(parse_username("_abcdef")), bad_username);
  CAF_CHECK_EQUAL(outcome(parse_username("abc def")), bad_username);
  CAF_CHECK_EQUAL(outcome(parse_username("abc-def")), bad_username);
  CAF_CHECK_EQUAL(outcome(parse_username("张三abcdef")), bad_username);
  CAF_CHECK_EQUAL(outcome(parse_username("ábcdefg")), bad_username);
  CAF_CHECK_EQUAL(outcome(parse_username(std::string(5000, 'a'))),
                  bad_username);
}

CAF_TEST(username keys collide across width and case) {
  auto a = parse_username("ＡＢＣ_def1");
  auto b = parse_username("abc_DEF1");
  CAF_REQUIRE(std::holds_alternative<valid_username>(a));
  CAF_REQUIRE(std::holds_alternative<valid_username>(b));
  CAF_CHECK_EQUAL(std::get<valid_username>(a).key,
                  std::get<valid_username>(b).key);
  CAF_CHECK_EQUAL(std::get<valid_username>(a).key, "abc_def1");
  CAF_CHECK_EQUAL(username_key("ＡＢＣ_def1"), "abc_def1");
  CAF_CHECK_EQUAL(username_key(" Abc_Def1 "), "abc_def1");
  CAF_CHECK_NOT_EQUAL(username_key("abc_def1"), username_key("abc_def2"));
}

// -- password -----------------------------------------------------------------

CAF_TEST(passwords with letters and digits pass) {
  CAF_CHECK_EQUAL(outcome(parse_password("secret12", "student_01")),
                  "secret12");
  CAF_CHECK_EQUAL(outcome(parse_password("a1234567", "")), "a1234567");
  CAF_CHECK_EQUAL(outcome(parse_password(std::string(31, 'a') + "1", "")),
                  std::string(31, 'a') + "1");
  CAF_CHECK_EQUAL(outcome(parse_password("pass word 1", "")), "pass word 1");
  // Full-width input is stored and hashed as its NFKC form.
  CAF_CHECK_EQUAL(outcome(parse_password("ｓｅｃｒｅｔ１２", "")), "secret12");
  CAF_CHECK_EQUAL(normalize_password("ｓｅｃｒｅｔ１２"), "secret12");
}

CAF_TEST(weak passwords fail) {
  CAF_CHECK_EQUAL(outcome(parse_password("a123456", "")), weak_password);
  CAF_CHECK_EQUAL(outcome(parse_password(std::string(32, 'a') + "1", "")),
                  weak_password);
  CAF_CHECK_EQUAL(outcome(parse_password("abcdefgh", "")), weak_password);
  CAF_CHECK_EQUAL(outcome(parse_password("12345678", "")), weak_password);
  CAF_CHECK_EQUAL(outcome(parse_password("密码密码密码密码1", "")),
                  weak_password);
  CAF_CHECK_EQUAL(outcome(parse_password("abc\x01"
                                         "12345",
                                         "")),
                  weak_password);
  CAF_CHECK_EQUAL(outcome(parse_password("", "")), weak_password);
}

CAF_TEST(passwords may not contain the username) {
  CAF_CHECK_EQUAL(outcome(parse_password("student_01x", "student_01")),
                  weak_password);
  CAF_CHECK_EQUAL(outcome(parse_password("xxSTUDENT_01", "student_01")),
                  weak_password);
  CAF_CHECK_EQUAL(outcome(parse_password("ｓｔｕｄｅｎｔ_01", "Student_01")),
                  weak_password);
  CAF_CHECK(
    message_of(parse_password("student_01x", "student_01")).find("用户名")
    != std::string::npos);
  CAF_CHECK_EQUAL(outcome(parse_password("student_1x", "student_01")),
                  "student_1x");
}

// -- name ---------------------------------------------------------------------

CAF_TEST(names of han characters or letters pass) {
  CAF_CHECK_EQUAL(outcome(parse_name("张三")), "张三");
  CAF_CHECK_EQUAL(outcome(parse_name(" 欧阳娜娜 ")), "欧阳娜娜");
  CAF_CHECK_EQUAL(outcome(parse_name("张 三")), "张三");
  CAF_CHECK_EQUAL(outcome(parse_name("阿依古丽·买买提")), "阿依古丽·买买提");
  CAF_CHECK_EQUAL(outcome(parse_name("阿依古丽 · 买买提")), "阿依古丽·买买提");
  // Dots typed by input methods: katakana middle dot, bullet, hyphenation
  // point; all become U+00B7.
  CAF_CHECK_EQUAL(outcome(parse_name("阿依古丽・买买提")), "阿依古丽·买买提");
  CAF_CHECK_EQUAL(outcome(parse_name("阿依古丽•买买提")), "阿依古丽·买买提");
  CAF_CHECK_EQUAL(outcome(parse_name("阿依古丽‧买买提")), "阿依古丽·买买提");
  CAF_CHECK_EQUAL(outcome(parse_name("JOHN  SMITH")), "JOHN SMITH");
  CAF_CHECK_EQUAL(outcome(parse_name("ＪＯＨＮ")), "JOHN");
  CAF_CHECK_EQUAL(outcome(parse_name("王〇")), "王〇");
  CAF_CHECK_EQUAL(outcome(parse_name("吉\xF0\xA0\xAE\xB7")),
                  "吉\xF0\xA0\xAE\xB7");
  CAF_CHECK_EQUAL(outcome(parse_name(std::string(30, 'a'))),
                  std::string(30, 'a'));
}

CAF_TEST(other names fail) {
  CAF_CHECK_EQUAL(outcome(parse_name("")), bad_name);
  CAF_CHECK_EQUAL(outcome(parse_name("   ")), bad_name);
  CAF_CHECK_EQUAL(outcome(parse_name("张")), bad_name);
  CAF_CHECK_EQUAL(outcome(parse_name(std::string(31, 'a'))), bad_name);
  CAF_CHECK_EQUAL(outcome(parse_name("张三1")), bad_name);
  CAF_CHECK_EQUAL(outcome(parse_name("张-三")), bad_name);
  CAF_CHECK_EQUAL(outcome(parse_name("·张三")), bad_name);
  CAF_CHECK_EQUAL(outcome(parse_name("张三·")), bad_name);
  CAF_CHECK_EQUAL(outcome(parse_name("张··三")), bad_name);
  CAF_CHECK_EQUAL(outcome(parse_name("张\xFF三")), bad_name);
}

// -- mobile -------------------------------------------------------------------

CAF_TEST(mainland mobiles pass in every usual spelling) {
  CAF_CHECK_EQUAL(outcome(parse_mobile("13800000000")), "13800000000");
  CAF_CHECK_EQUAL(outcome(parse_mobile("19912345678")), "19912345678");
  CAF_CHECK_EQUAL(outcome(parse_mobile(" 138 0000 0000 ")), "13800000000");
  CAF_CHECK_EQUAL(outcome(parse_mobile("138-0000-0000")), "13800000000");
  CAF_CHECK_EQUAL(outcome(parse_mobile("１３８\u3000００００\u3000００００")),
                  "13800000000");
  CAF_CHECK_EQUAL(outcome(parse_mobile("+86 138 0000 0000")), "13800000000");
  CAF_CHECK_EQUAL(outcome(parse_mobile("＋８６１３８００００００００")),
                  "13800000000");
  CAF_CHECK_EQUAL(outcome(parse_mobile("8613800000000")), "13800000000");
  CAF_CHECK_EQUAL(outcome(parse_mobile("008613800000000")), "13800000000");
}

CAF_TEST(other mobiles fail) {
  CAF_CHECK_EQUAL(outcome(parse_mobile("")), bad_mobile);
  CAF_CHECK_EQUAL(outcome(parse_mobile("12800000000")), bad_mobile);
  CAF_CHECK_EQUAL(outcome(parse_mobile("10800000000")), bad_mobile);
  CAF_CHECK_EQUAL(outcome(parse_mobile("23800000000")), bad_mobile);
  CAF_CHECK_EQUAL(outcome(parse_mobile("1380000000")), bad_mobile);
  CAF_CHECK_EQUAL(outcome(parse_mobile("138000000000")), bad_mobile);
  CAF_CHECK_EQUAL(outcome(parse_mobile("1380000000a")), bad_mobile);
  CAF_CHECK_EQUAL(outcome(parse_mobile("+85291234567")), bad_mobile);
  CAF_CHECK_EQUAL(outcome(parse_mobile("86138000000")), bad_mobile);
}

// -- e-mail -------------------------------------------------------------------

CAF_TEST(blank email means none) {
  CAF_CHECK_EQUAL(outcome(parse_email("")), "");
  CAF_CHECK_EQUAL(outcome(parse_email("  ")), "");
}

CAF_TEST(sane emails pass) {
  CAF_CHECK_EQUAL(outcome(parse_email("student@example.com")),
                  "student@example.com");
  CAF_CHECK_EQUAL(outcome(parse_email(" Zhang.San+reg@Mail.EXAMPLE.cn ")),
                  "Zhang.San+reg@mail.example.cn");
  CAF_CHECK_EQUAL(outcome(parse_email("12345@qq.com")), "12345@qq.com");
  CAF_CHECK_EQUAL(outcome(parse_email("a@163.com")), "a@163.com");
  CAF_CHECK_EQUAL(outcome(parse_email("ｓｔｕ＠ｅｘａｍｐｌｅ．ｃｏｍ")),
                  "stu@example.com");
  CAF_CHECK_EQUAL(outcome(parse_email("x@xn--fiqs8s.xn--fiqs8s")),
                  "x@xn--fiqs8s.xn--fiqs8s");
  auto longest = std::string(64, 'a') + "@" + std::string(63, 'b') + "."
                 + std::string(63, 'c') + "." + std::string(61, 'd');
  CAF_REQUIRE_EQUAL(longest.size(), 254u);
  CAF_CHECK_EQUAL(outcome(parse_email(longest)), longest);
}

CAF_TEST(broken emails fail) {
  CAF_CHECK_EQUAL(outcome(parse_email("student")), bad_email);
  CAF_CHECK_EQUAL(outcome(parse_email("student@")), bad_email);
  CAF_CHECK_EQUAL(outcome(parse_email("@example.com")), bad_email);
  CAF_CHECK_EQUAL(outcome(parse_email("a@@example.com")), bad_email);
  CAF_CHECK_EQUAL(outcome(parse_email("a@b@example.com")), bad_email);
  CAF_CHECK_EQUAL(outcome(parse_email("a@localhost")), bad_email);
  CAF_CHECK_EQUAL(outcome(parse_email("a@example.c")), bad_email);
  CAF_CHECK_EQUAL(outcome(parse_email("a@example.123")), bad_email);
  CAF_CHECK_EQUAL(outcome(parse_email("a@-example.com")), bad_email);
  CAF_CHECK_EQUAL(outcome(parse_email("a@example..com")), bad_email);
  CAF_CHECK_EQUAL(outcome(parse_email(".a@example.com")), bad_email);
  CAF_CHECK_EQUAL(outcome(parse_email("a..b@example.com")), bad_email);
  CAF_CHECK_EQUAL(outcome(parse_email("a b@example.com")), bad_email);
  CAF_CHECK_EQUAL(outcome(parse_email("张三@example.com")), bad_email);
  CAF_CHECK_EQUAL(outcome(parse_email(std::string(65, 'a') + "@example.com")),
                  bad_email);
  auto too_long = std::string(64, 'a') + "@" + std::string(63, 'b') + "."
                  + std::string(63, 'c') + "." + std::string(62, 'd');
  CAF_CHECK_EQUAL(outcome(parse_email(too_long)), bad_email);
}

// -- school and class ---------------------------------------------------------

CAF_TEST(school and class names are normalised) {
  CAF_CHECK_EQUAL(outcome(parse_school("清华大学")), "清华大学");
  CAF_CHECK_EQUAL(outcome(parse_school(" \t清华大学\r\n")), "清华大学");
  CAF_CHECK_EQUAL(outcome(parse_school("\u3000北京大学\u3000")), "北京大学");
  CAF_CHECK_EQUAL(outcome(parse_school("Peking  University")),
                  "Peking University");
  CAF_CHECK_EQUAL(outcome(parse_school("Peking\u3000University")),
                  "Peking University");
  CAF_CHECK_EQUAL(outcome(parse_class_name("计算机２１０１班")),
                  "计算机2101班");
  CAF_CHECK_EQUAL(outcome(parse_class_name("Ｃ")), "C");
  CAF_CHECK_EQUAL(outcome(parse_class_name(std::string(100, 'a'))),
                  std::string(100, 'a'));
  std::string hundred_han;
  for (int i = 0; i < 100; ++i)
    hundred_han += "班";
  CAF_CHECK_EQUAL(outcome(parse_class_name(hundred_han)), hundred_han);
}

CAF_TEST(bad school and class names fail) {
  CAF_CHECK_EQUAL(outcome(parse_school("")), bad_school);
  CAF_CHECK_EQUAL(outcome(parse_school(" \u3000 ")), bad_school);
  CAF_CHECK_EQUAL(outcome(parse_school("清华\x01大学")), bad_school);
  CAF_CHECK_EQUAL(outcome(parse_school("清华\n大学")), bad_school);
  CAF_CHECK_EQUAL(outcome(parse_school("清华\t大学")), bad_school);
  CAF_CHECK_EQUAL(outcome(parse_school("清华\u200b大学")), bad_school);
  CAF_CHECK_EQUAL(outcome(parse_school("清华\xFF大学")), bad_school);
  CAF_CHECK_EQUAL(outcome(parse_school(std::string(101, 'a'))), bad_school);
  CAF_CHECK_EQUAL(outcome(parse_school(std::string(5000, 'a'))), bad_school);
  CAF_CHECK_EQUAL(outcome(parse_class_name("")), bad_class);
  CAF_CHECK_EQUAL(outcome(parse_class_name("1\x7f")), bad_class);
  CAF_CHECK_EQUAL(outcome(parse_class_name(std::string(101, 'a'))), bad_class);
  CAF_CHECK(message_of(parse_school("")).find("学校名称") != std::string::npos);
  CAF_CHECK(message_of(parse_class_name("a\x01")).find("控制字符")
            != std::string::npos);
}

CAF_TEST(blank means only white space) {
  CAF_CHECK(is_blank(""));
  CAF_CHECK(is_blank(" \t\r\n"));
  CAF_CHECK(is_blank("\u3000\u00a0"));
  CAF_CHECK(!is_blank(" a "));
  CAF_CHECK(!is_blank("\x01"));
  CAF_CHECK(!is_blank("\xFF"));
}

CAF_TEST(every field error names its field and says why) {
  auto check = [](const problem& p, errc code, const char* field) {
    CAF_CHECK(p.code == code);
    CAF_CHECK_EQUAL(p.field, field);
    CAF_CHECK(!p.text().empty());
  };
  check(std::get<problem>(parse_username("x")), errc::username_invalid,
        "username");
  check(std::get<problem>(parse_password("x", "")), errc::password_weak,
        "password");
  check(std::get<problem>(parse_name("x")), errc::name_invalid, "name");
  check(std::get<problem>(parse_mobile("x")), errc::mobile_invalid, "mobile");
  check(std::get<problem>(parse_email("x")), errc::email_invalid, "email");
  check(std::get<problem>(parse_school("")), errc::school_invalid, "school");
  check(std::get<problem>(parse_class_name("")), errc::class_invalid, "class");
}

CAF_TEST(rejection reasons follow the label rules) {
  CAF_CHECK_EQUAL(outcome(parse_reason(" 照片不清晰 ")), "照片不清晰");
  CAF_CHECK_EQUAL(outcome(parse_reason("")), bad_reason);
  CAF_CHECK_EQUAL(outcome(parse_reason("\u3000")), bad_reason);
  CAF_CHECK_EQUAL(outcome(parse_reason("照片\x01不清晰")), bad_reason);
  CAF_CHECK_EQUAL(outcome(parse_reason(std::string(100, 'a'))),
                  std::string(100, 'a'));
  CAF_CHECK_EQUAL(outcome(parse_reason(std::string(101, 'a'))), bad_reason);
}
