#include "storage/sql_value.hpp"

#include <charconv>

#include "storage/storage_error.hpp"

namespace idclaim::storage {

int64_t sql_row::integer(std::size_t i) const {
  return optional_integer(i).value_or(0);
}

std::optional<int64_t> sql_row::optional_integer(std::size_t i) const {
  auto& col = columns_.at(i);
  if (!col)
    return std::nullopt;
  int64_t v = 0;
  auto* end = col->data() + col->size();
  auto [ptr, ec] = std::from_chars(col->data(), end, v);
  if (ec != std::errc{} || ptr != end)
    throw storage_error("column " + std::to_string(i) + " is not an integer");
  return v;
}

const std::string& sql_row::text(std::size_t i) const {
  static const std::string empty;
  auto& col = columns_.at(i);
  return col ? *col : empty;
}

} // namespace idclaim::storage
