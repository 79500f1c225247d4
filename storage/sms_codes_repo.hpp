#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "domain/account.hpp"
#include "storage/sql_driver.hpp"

namespace idclaim::storage {

/// A one-time SMS code as stored: only a keyed digest of the code.
struct sms_code_row {
  int64_t id = 0;
  std::string purpose; ///< "bind" or "recover"
  std::string mobile_index;
  std::optional<account_id> account;
  std::string code_digest;
  int64_t created_ms = 0;
  int64_t expires_ms = 0;
  int64_t tries = 0;
  std::optional<int64_t> used_ms;
};

/// SMS verification codes (实名绑定, 找回用户名).
class sms_codes_repo {
public:
  explicit sms_codes_repo(sql_driver& db) : db_(db) {
  }

  /// Codes sent to a mobile after `since_ms` (send rate limits).
  int64_t sent_since(const std::string& mobile_index, int64_t since_ms);

  /// Codes sent to a mobile under either of its index values (`other`: the
  /// value under the other index key during a rotation, or empty).
  int64_t sent_since(const std::string& current, const std::string& other,
                     int64_t since_ms);

  int64_t insert(const sms_code_row& row);

  /// The newest code of `purpose` for the mobile (and account, when given)
  /// that is unused and unexpired at `now_ms`.
  std::optional<sms_code_row> live(std::string_view purpose,
                                   const std::string& mobile_index,
                                   std::optional<account_id> account,
                                   int64_t now_ms);

  /// As above, for a mobile under either of its index values.
  std::optional<sms_code_row> live(std::string_view purpose,
                                   const std::string& current,
                                   const std::string& other,
                                   std::optional<account_id> account,
                                   int64_t now_ms);

  /// The latest expiry of the codes created at or before `created_ms`
  /// (0 when none): a rotation waits for it before dropping an old index
  /// key, since codes keep the mobile index they were sent under.
  int64_t latest_expiry(int64_t created_ms);

  /// Counts a wrong try; returns the tries after it.
  int64_t add_try(int64_t id);

  /// Uses the code once; false when it was used already (I4-like).
  bool use(int64_t id, int64_t now_ms);

private:
  sql_driver& db_;
};

} // namespace idclaim::storage
