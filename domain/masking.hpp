#pragma once

#include <string>
#include <string_view>

namespace idclaim::domain {

// Masking rules of API.md. Every function counts Unicode code points, not
// bytes, and always returns valid UTF-8 (ill-formed input bytes become '*').

/// An ID number as first 1 + last 1 characters with one '*' for each hidden
/// character: "11010519491231002X" -> "1****************X". Inputs of two
/// characters or fewer are masked completely.
std::string mask_id(std::string_view id_number);

/// A mobile number as first 3 + last 4 digits: "13800000000" ->
/// "138****0000". Inputs shorter than 8 characters are masked completely.
std::string mask_mobile(std::string_view mobile);

/// A person's name as its first character + one '*' for each other
/// character: "张三" -> "张*", "欧阳娜" -> "欧**".
std::string mask_name(std::string_view name);

/// A username for 找回用户名: its first 2 characters + "***", whatever its
/// length, so the length is not revealed: "abcdef" -> "ab***". At least one
/// character is always hidden.
std::string mask_username(std::string_view username);

} // namespace idclaim::domain
