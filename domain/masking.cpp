#include "domain/masking.hpp"

#include <algorithm>
#include <climits>
#include <vector>

#include <unicode/utf8.h>

namespace idclaim::domain {

namespace {

// The code points of `text`, each as its own bytes. An ill-formed sequence
// becomes "*" so that a kept character can never emit broken UTF-8.
std::vector<std::string_view> code_points(std::string_view text) {
  std::vector<std::string_view> result;
  auto length = static_cast<int32_t>(std::min(text.size(), size_t{INT32_MAX}));
  int32_t i = 0;
  while (i < length) {
    int32_t start = i;
    UChar32 c;
    U8_NEXT(text.data(), i, length, c);
    if (c < 0)
      result.emplace_back("*");
    else
      result.push_back(text.substr(start, i - start));
  }
  return result;
}

// Keeps `front` leading and `back` trailing code points and puts one '*' for
// each code point in between.
std::string keep_ends(const std::vector<std::string_view>& chars, size_t front,
                      size_t back) {
  std::string result;
  for (size_t i = 0; i < chars.size(); ++i) {
    if (i < front || i >= chars.size() - back)
      result += chars[i];
    else
      result += '*';
  }
  return result;
}

} // namespace

std::string mask_id(std::string_view id_number) {
  auto chars = code_points(id_number);
  if (chars.size() <= 2)
    return std::string(chars.size(), '*');
  return keep_ends(chars, 1, 1);
}

std::string mask_mobile(std::string_view mobile) {
  auto chars = code_points(mobile);
  if (chars.size() < 8)
    return std::string(chars.size(), '*');
  return keep_ends(chars, 3, 4);
}

std::string mask_name(std::string_view name) {
  auto chars = code_points(name);
  if (chars.empty())
    return {};
  return keep_ends(chars, 1, 0);
}

std::string mask_username(std::string_view username) {
  auto chars = code_points(username);
  size_t kept = std::min<size_t>(2, chars.empty() ? 0 : chars.size() - 1);
  std::string result;
  for (size_t i = 0; i < kept; ++i)
    result += chars[i];
  return result + "***";
}

} // namespace idclaim::domain
