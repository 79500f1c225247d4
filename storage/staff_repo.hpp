#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "storage/sql_driver.hpp"

namespace idclaim::storage {

/// Staff roles (SPEC §1).
enum class staff_role : uint8_t { reviewer, operator_ };

/// The API spelling of a role: "reviewer" or "operator".
std::string_view to_string(staff_role role);

/// A reviewer or operator account, made from the command line.
struct staff_row {
  int64_t id = 0;
  std::string username;
  std::string username_key;
  std::string password_hash;
  staff_role role = staff_role::reviewer;
};

/// Staff members (客服, 运维).
class staff_repo {
public:
  explicit staff_repo(sql_driver& db) : db_(db) {
  }

  /// False when the username is taken.
  bool insert(const staff_row& row);
  std::optional<staff_row> find_by_username(const std::string& key);
  std::optional<staff_row> find(int64_t id);

private:
  std::optional<staff_row> one(std::string_view sql, const sql_param& key);

  sql_driver& db_;
};

} // namespace idclaim::storage
