#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "storage/sql_driver.hpp"

namespace idclaim::storage {

/// Who a session token belongs to.
enum class subject_kind : uint8_t { account, staff };

/// A login session; the token itself is never stored, only its digest.
struct session_row {
  std::string token_digest;
  subject_kind kind = subject_kind::account;
  int64_t subject_id = 0;
  int64_t created_ms = 0;
  int64_t expires_ms = 0;
};

/// Login sessions of students and staff.
class sessions_repo {
public:
  explicit sessions_repo(sql_driver& db) : db_(db) {
  }

  void insert(const session_row& row);
  std::optional<session_row> find(const std::string& token_digest);

  /// Ends one session; false when it did not exist.
  bool remove(const std::string& token_digest);

  /// Ends every session of a subject except `keep_digest` (password
  /// change); returns how many ended.
  int64_t remove_others(subject_kind kind, int64_t subject_id,
                        const std::string& keep_digest);

  /// Deletes sessions that expired before `now_ms`.
  int64_t purge_expired(int64_t now_ms);

private:
  sql_driver& db_;
};

} // namespace idclaim::storage
