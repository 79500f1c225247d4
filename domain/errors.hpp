#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace idclaim {

/// Every error idclaim reports, with a stable number (see error_table.def).
enum class errc : uint8_t {
#define X(num, name, code, status, message) name = num,
#include "domain/error_table.def"
#undef X
};

/// One row of the error table.
struct error_info {
  errc value;
  std::string_view code;    ///< the machine code, e.g. "ID_INVALID"
  int http_status;          ///< the HTTP status it maps to
  std::string_view message; ///< the default zh-CN message
};

/// Looks up the row for `e`; every enumerator has one.
const error_info& info(errc e);

/// Finds an error by its machine code (for tests and clients of the table).
std::optional<errc> errc_from_code(std::string_view code);

/// A domain error as a value: the code, the field at fault (empty when none)
/// and an optional message that replaces the table's default.
struct problem {
  errc code = errc::internal;
  std::string field;
  std::string message;
  /// The HTTP status when it differs from the table's; 0 otherwise. Used
  /// only where API.md gives one code two statuses (NOT_RESTRICTED is 409
  /// for reviews and 403 for assist requests).
  int status = 0;

  /// The message to show: the specific one if set, else the table's.
  std::string_view text() const;

  /// The HTTP status of this problem.
  int http_status() const;
};

inline problem make_problem(errc code, std::string field = {},
                            std::string message = {}) {
  return problem{code, std::move(field), std::move(message), 0};
}

} // namespace idclaim
