#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/account.hpp"
#include "storage/claims_repo.hpp"
#include "storage/sql_driver.hpp"

namespace idclaim::storage {

/// The life of an assist request (SPEC §11):
/// pending → approved | declined | expired | void.
enum class assist_state : uint8_t { pending, approved, declined, expired, void_ };

std::string_view to_string(assist_state s);

/// A classmate-assist request (证件重复-用户协助).
struct assist_row {
  int64_t id = 0;
  claim_id claim = 0;
  account_id requester = 0;
  account_id classmate = 0;
  std::string requester_mobile_cipher; ///< the mobile the requester shows
  assist_state state = assist_state::pending;
  int64_t sent_ms = 0;
  int64_t expires_ms = 0;
  std::optional<int64_t> processed_ms;
};

/// A request ended without its classmate (void or expired), with the
/// accounts whose pages show it.
struct ended_request {
  int64_t id = 0;
  account_id requester = 0;
  account_id classmate = 0;
};

/// Assist requests.
class assists_repo {
public:
  explicit assists_repo(sql_driver& db) : db_(db) {
  }

  int64_t insert(claim_id claim, account_id requester, account_id classmate,
                 const std::string& requester_mobile_cipher, int64_t now_ms,
                 int64_t expires_ms);

  std::optional<assist_row> find(int64_t id);

  /// The requests an account sent, newest first.
  std::vector<assist_row> by_requester(account_id requester, int64_t limit);

  /// Ends a pending, unexpired request as `to` (approved or declined);
  /// false when it was not pending any more or has expired (I4).
  bool close(int64_t id, assist_state to, int64_t now_ms);

  /// Expires every pending request whose time is up.
  std::vector<ended_request> expire_due(int64_t now_ms);

  /// Voids every pending request on `claim` (the claim was resolved).
  std::vector<ended_request> void_pending_on_claim(claim_id claim,
                                                   int64_t now_ms);

  /// Voids every pending request sent by or to `account` (cancelled).
  std::vector<ended_request> void_pending_of(account_id account,
                                             int64_t now_ms);

private:
  std::vector<assist_row> many(std::string_view sql,
                               std::initializer_list<sql_param> params);
  std::vector<ended_request> ended(std::string_view sql,
                                   std::initializer_list<sql_param> params);

  sql_driver& db_;
};

/// The daily assist quota (I3): at most `limit` counted attempts per
/// account and Asia/Shanghai calendar day.
class assist_quota_repo {
public:
  explicit assist_quota_repo(sql_driver& db) : db_(db) {
  }

  /// Counts one attempt on `day` ("YYYY-MM-DD"); returns the attempts used
  /// after it, or nothing when `limit` were used already. One conditional
  /// upsert, so concurrent writers can never pass the limit.
  std::optional<int64_t> take(account_id account, std::string_view day,
                              int64_t limit);

  /// Attempts counted on `day`.
  int64_t used(account_id account, std::string_view day);

private:
  sql_driver& db_;
};

} // namespace idclaim::storage
