#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <string_view>

namespace idclaim::metrics {

/// The most label names a family may have; a fixed bound lets a lookup
/// check its values on the stack instead of allocating.
inline constexpr std::size_t max_label_names = 8;

/// The checked label values of one lookup, borrowed from the caller for
/// the duration of the call.
struct label_key {
  /// The values in the order of the family's label names.
  std::array<std::string_view, max_label_names> values;
  /// How many entries of `values` are in use.
  std::size_t size = 0;

  /// The first value.
  const std::string_view* begin() const noexcept { return values.data(); }

  /// One past the last value.
  const std::string_view* end() const noexcept { return values.data() + size; }
};

/// Orders label tuples lexicographically, value by value. It is
/// transparent, so a family's map of stored tuples (vectors of strings) can
/// be searched with a label_key without building a key first.
struct label_less {
  /// Marks the comparator as accepting mixed key types.
  using is_transparent = void;

  /// Whether tuple `a` sorts before tuple `b`.
  template <class A, class B>
  bool operator()(const A& a, const B& b) const {
    return std::lexicographical_compare(
      a.begin(), a.end(), b.begin(), b.end(),
      [](std::string_view x, std::string_view y) { return x < y; });
  }
};

} // namespace idclaim::metrics
