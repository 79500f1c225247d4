#include "domain/errors.hpp"

#include <array>

namespace idclaim {

namespace {

constexpr error_info table[] = {
#define X(num, name, code, status, message) {errc::name, code, status, message},
#include "domain/error_table.def"
#undef X
};

} // namespace

const error_info& info(errc e) {
  for (auto& row : table)
    if (row.value == e)
      return row;
  return info(errc::internal);
}

std::optional<errc> errc_from_code(std::string_view code) {
  for (auto& row : table)
    if (row.code == code)
      return row.value;
  return std::nullopt;
}

int problem::http_status() const {
  return status != 0 ? status : info(code).http_status;
}

std::string_view problem::text() const {
  return message.empty() ? info(code).message : std::string_view{message};
}

} // namespace idclaim
