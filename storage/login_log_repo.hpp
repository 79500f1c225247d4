#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/account.hpp"
#include "storage/sql_driver.hpp"

namespace idclaim::storage {

/// One login attempt, for 登录日志查询 and login throttling.
struct login_row {
  int64_t id = 0;
  std::optional<account_id> account; ///< none for unknown usernames
  int64_t at_ms = 0;
  std::string ip;
  std::string client;
  bool success = false;
};

/// The login log (登录日志).
class login_log_repo {
public:
  explicit login_log_repo(sql_driver& db) : db_(db) {
  }

  void append(const login_row& row);

  /// The account's attempts, newest first, older than entry `before_id`
  /// (0: from the newest), at most `limit`.
  std::vector<login_row> page(account_id account, int64_t before_id,
                              int64_t limit);

  /// Failed attempts on the account since its last success and after
  /// `since_ms`.
  int64_t failures_since(account_id account, int64_t since_ms);

  /// Failed attempts from `ip` after `since_ms`, any account.
  int64_t failures_from_ip(const std::string& ip, int64_t since_ms);

private:
  sql_driver& db_;
};

} // namespace idclaim::storage
