#define CAF_SUITE domain.masking
#include <caf/test/unit_test.hpp>

#include "domain/masking.hpp"

#include <string>

using namespace idclaim::domain;

CAF_TEST(id numbers keep first and last character) {
  CAF_CHECK_EQUAL(mask_id("11010519491231002X"), "1****************X");
  CAF_CHECK_EQUAL(mask_id("H12345678"), "H*******8");
  CAF_CHECK_EQUAL(mask_id("AB123"), "A***3");
  CAF_CHECK_EQUAL(mask_id("ABC"), "A*C");
}

CAF_TEST(id numbers too short to mask partly are hidden) {
  CAF_CHECK_EQUAL(mask_id(""), "");
  CAF_CHECK_EQUAL(mask_id("A"), "*");
  CAF_CHECK_EQUAL(mask_id("AB"), "**");
}

CAF_TEST(id masking keeps the length) {
  std::string id = "11010519491231002X";
  CAF_CHECK_EQUAL(mask_id(id).size(), id.size());
}

CAF_TEST(mobiles keep first three and last four digits) {
  CAF_CHECK_EQUAL(mask_mobile("13800000000"), "138****0000");
  CAF_CHECK_EQUAL(mask_mobile("15912345678"), "159****5678");
  CAF_CHECK_EQUAL(mask_mobile("12345678"), "123*5678");
  CAF_CHECK_EQUAL(mask_mobile("1234567"), "*******");
  CAF_CHECK_EQUAL(mask_mobile(""), "");
}

CAF_TEST(names keep the first character) {
  CAF_CHECK_EQUAL(mask_name("张三"), "张*");
  CAF_CHECK_EQUAL(mask_name("欧阳娜"), "欧**");
  CAF_CHECK_EQUAL(mask_name("欧阳娜娜"), "欧***");
  CAF_CHECK_EQUAL(mask_name("阿依古丽·买买提"), "阿*******");
  CAF_CHECK_EQUAL(mask_name("JOHN SMITH"), "J*********");
  CAF_CHECK_EQUAL(mask_name("张"), "张");
  CAF_CHECK_EQUAL(mask_name(""), "");
}

CAF_TEST(names outside the basic plane count as one character) {
  // U+20BB7 (𠮷) is four bytes in UTF-8 and one character.
  CAF_CHECK_EQUAL(mask_name("\xF0\xA0\xAE\xB7\xE5\xA5\xBD"),
                  "\xF0\xA0\xAE\xB7*");
  CAF_CHECK_EQUAL(mask_name("张\xF0\xA0\xAE\xB7"), "张*");
}

CAF_TEST(ill formed utf8 never leaks into the output) {
  CAF_CHECK_EQUAL(mask_name("\xFF张三"), "***");
  CAF_CHECK_EQUAL(mask_name("张\xE5\xA5"), "张*");
  CAF_CHECK_EQUAL(mask_username("\xC3x"), "****");
}

CAF_TEST(usernames keep two characters and hide the length) {
  CAF_CHECK_EQUAL(mask_username("abcdef"), "ab***");
  CAF_CHECK_EQUAL(mask_username("abcdefghijklmnopqrst"), "ab***");
  CAF_CHECK_EQUAL(mask_username("abc"), "ab***");
  CAF_CHECK_EQUAL(mask_username("ab"), "a***");
  CAF_CHECK_EQUAL(mask_username("a"), "***");
  CAF_CHECK_EQUAL(mask_username(""), "***");
}
