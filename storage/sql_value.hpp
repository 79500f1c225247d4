#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace idclaim::storage {

/// A binary statement parameter (sealed values, blind indexes, digests);
/// plain `std::string_view` parameters are text.
struct blob_param {
  std::string_view bytes;
};

/// Marks `bytes` as binary for a statement parameter.
inline blob_param blob(std::string_view bytes) {
  return blob_param{bytes};
}

/// The second value of a lookup by blind index during a key rotation
/// (`... IN (?current, ?other)`): `other`, or `current` again when no
/// rotation is on, so one statement serves both cases.
inline blob_param other_blob(std::string_view current, std::string_view other) {
  return blob_param{other.empty() ? current : other};
}

/// Binary when `bytes` is non-empty, SQL NULL otherwise (optional columns).
struct blob_or_null_param {
  std::string_view bytes;
};

inline blob_or_null_param blob_or_null(std::string_view bytes) {
  return blob_or_null_param{bytes};
}

/// One statement parameter: NULL, an integer, text or bytes. Statements
/// number their parameters ?1, ?2, ... in both backends' SQL.
using sql_param = std::variant<std::nullptr_t, int64_t, std::string_view,
                               blob_param, blob_or_null_param>;

/// An optional integer as a parameter (NULL when empty).
inline sql_param int_or_null(std::optional<int64_t> v) {
  if (v)
    return *v;
  return nullptr;
}

/// One result row. Every column is kept as its bytes (integers as decimal
/// text, bytes already decoded), so both backends fill it the same way.
class sql_row {
public:
  explicit sql_row(std::vector<std::optional<std::string>> columns)
    : columns_(std::move(columns)) {}

  std::size_t size() const { return columns_.size(); }

  bool is_null(std::size_t i) const { return !columns_.at(i).has_value(); }

  /// The column as an integer; 0 for NULL. Throws storage_error for text
  /// that is not a number (a schema bug).
  int64_t integer(std::size_t i) const;

  /// The column as an integer, or nothing for NULL.
  std::optional<int64_t> optional_integer(std::size_t i) const;

  /// The column's bytes (text or blob); "" for NULL.
  const std::string& text(std::size_t i) const;

  /// Whether an integer column is non-zero (booleans are stored 0/1).
  bool flag(std::size_t i) const { return integer(i) != 0; }

private:
  std::vector<std::optional<std::string>> columns_;
};

/// What a statement returned.
struct sql_result {
  std::vector<sql_row> rows;
  int64_t affected = 0; ///< rows changed by INSERT/UPDATE/DELETE

  bool empty() const { return rows.empty(); }

  /// The first row, or nothing.
  const sql_row* first() const { return rows.empty() ? nullptr : &rows[0]; }
};

} // namespace idclaim::storage
