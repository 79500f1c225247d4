#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/account.hpp"
#include "storage/sql_driver.hpp"

namespace idclaim::storage {

/// What an inbox item tells its owner.
enum class inbox_kind : uint8_t {
  assist_request,   ///< a classmate asks for help (approve / decline)
  assist_declined,  ///< your request was declined
  assist_ended,     ///< your request expired or became void
  review_approved,  ///< the review made you the holder
  review_rejected,  ///< the review was rejected (detail: the reason)
  claim_resolved,   ///< your claim was resolved in your favour by assist
  account_cancelled,///< another account won the claim (detail: reason)
  claim_contested,  ///< someone claims the ID you hold
};

std::string_view to_string(inbox_kind k);
std::optional<inbox_kind> parse_inbox_kind(std::string_view s);

/// One item of an account's inbox (收件箱). `detail` never holds personal
/// data; requests are shown from their assist_requests row.
struct inbox_row {
  int64_t id = 0;
  account_id account = 0;
  inbox_kind kind = inbox_kind::assist_request;
  std::optional<int64_t> assist_request;
  std::optional<int64_t> review_case;
  std::string detail;
  int64_t created_ms = 0;
  std::optional<int64_t> read_ms;
};

/// Inboxes. Callers that add or read items also record the account as
/// changed (connection::account_changed) so its live badge updates.
class inbox_repo {
public:
  explicit inbox_repo(sql_driver& db) : db_(db) {
  }

  int64_t add(account_id account, inbox_kind kind,
              std::optional<int64_t> assist_request,
              std::optional<int64_t> review_case, std::string_view detail,
              int64_t now_ms);

  /// The account's items, newest first, older than `before_id` (0: all).
  std::vector<inbox_row> list(account_id account, int64_t before_id,
                              int64_t limit);

  std::optional<inbox_row> find(int64_t id);

  /// The item of `account` about request `assist_request`, if any.
  std::optional<inbox_row> for_request(account_id account,
                                       int64_t assist_request);

  int64_t unread(account_id account);

  /// Marks an item read; false when it was read already.
  bool mark_read(int64_t id, int64_t now_ms);

private:
  std::vector<inbox_row> many(std::string_view sql,
                              std::initializer_list<sql_param> params);

  sql_driver& db_;
};

} // namespace idclaim::storage
