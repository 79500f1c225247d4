#pragma once

// Helpers shared by the libFuzzer targets in this folder.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "domain/civil_date.hpp"

namespace idclaim::fuzz {

/// The fuzzer's input as text.
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// A fixed "today", so that a crash reproduces on any day.
inline constexpr domain::civil_date today{2026, 6, 1};

/// Aborts (which libFuzzer reports as a crash, with the input saved) when a
/// property that must hold for every input does not.
inline void require(bool holds, const char* what) {
  if (!holds) {
    std::fprintf(stderr, "fuzz property violated: %s\n", what);
    std::abort();
  }
}

/// Splits `in` at its first LF: the line (without a CR before the LF) and
/// everything after the LF. Without an LF the line is all of `in`.
struct first_line_split {
  std::string_view line;
  std::string_view rest;
};

inline first_line_split split_first_line(std::string_view in) {
  auto lf = in.find('\n');
  if (lf == std::string_view::npos)
    return {in, {}};
  auto line = in.substr(0, lf);
  if (!line.empty() && line.back() == '\r')
    line.remove_suffix(1);
  return {line, in.substr(lf + 1)};
}

} // namespace idclaim::fuzz
