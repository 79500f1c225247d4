#include "storage/assists_repo.hpp"

namespace idclaim::storage {

namespace {

constexpr std::string_view kInsert
  = "INSERT INTO assist_requests(claim_id, requester_id, classmate_id, "
    "requester_mobile_cipher, state, sent_ms, expires_ms) "
    "VALUES (?1, ?2, ?3, ?4, 'pending', ?5, ?6) RETURNING id";

#define ASSIST_COLUMNS                                                         \
  "SELECT id, claim_id, requester_id, classmate_id, requester_mobile_cipher, " \
  "state, sent_ms, expires_ms, processed_ms FROM assist_requests "
constexpr std::string_view kFind = ASSIST_COLUMNS "WHERE id = ?1";
constexpr std::string_view kByRequester
  = ASSIST_COLUMNS "WHERE requester_id = ?1 ORDER BY id DESC LIMIT ?2";
#undef ASSIST_COLUMNS

constexpr std::string_view kClose
  = "UPDATE assist_requests SET state = ?2, processed_ms = ?3 "
    "WHERE id = ?1 AND state = 'pending' AND expires_ms > ?3";
constexpr std::string_view kExpireDue
  = "UPDATE assist_requests SET state = 'expired', processed_ms = expires_ms "
    "WHERE state = 'pending' AND expires_ms <= ?1 "
    "RETURNING id, requester_id, classmate_id";
constexpr std::string_view kVoidOnClaim
  = "UPDATE assist_requests SET state = 'void', processed_ms = ?2 "
    "WHERE claim_id = ?1 AND state = 'pending' "
    "RETURNING id, requester_id, classmate_id";
constexpr std::string_view kVoidOf
  = "UPDATE assist_requests SET state = 'void', processed_ms = ?2 "
    "WHERE (requester_id = ?1 OR classmate_id = ?1) AND state = 'pending' "
    "RETURNING id, requester_id, classmate_id";

// The WHERE on DO UPDATE makes the increment conditional: at the limit the
// statement changes nothing and returns no row (I3, on both backends).
constexpr std::string_view kTake
  = "INSERT INTO assist_quota(account_id, day, used) VALUES (?1, ?2, 1) "
    "ON CONFLICT(account_id, day) DO UPDATE SET used = assist_quota.used + 1 "
    "WHERE assist_quota.used < ?3 RETURNING used";
constexpr std::string_view kUsed
  = "SELECT used FROM assist_quota WHERE account_id = ?1 AND day = ?2";

std::optional<assist_state> parse_state(std::string_view s) {
  for (auto x : {assist_state::pending, assist_state::approved,
                 assist_state::declined, assist_state::expired,
                 assist_state::void_})
    if (to_string(x) == s)
      return x;
  return std::nullopt;
}

} // namespace

std::string_view to_string(assist_state s) {
  switch (s) {
    case assist_state::pending:
      return "pending";
    case assist_state::approved:
      return "approved";
    case assist_state::declined:
      return "declined";
    case assist_state::expired:
      return "expired";
    case assist_state::void_:
      return "void";
  }
  return "void";
}

int64_t assists_repo::insert(claim_id claim, account_id requester,
                             account_id classmate,
                             const std::string& mobile_cipher, int64_t now_ms,
                             int64_t expires_ms) {
  return db_.exec(kInsert, {claim, requester, classmate, blob(mobile_cipher),
                            now_ms, expires_ms})
    .rows[0]
    .integer(0);
}

std::optional<assist_row> assists_repo::find(int64_t id) {
  auto rows = many(kFind, {id});
  if (rows.empty())
    return std::nullopt;
  return rows.front();
}

std::vector<assist_row> assists_repo::by_requester(account_id requester,
                                                   int64_t limit) {
  return many(kByRequester, {requester, limit});
}

bool assists_repo::close(int64_t id, assist_state to, int64_t now_ms) {
  return db_.exec(kClose, {id, to_string(to), now_ms}).affected == 1;
}

std::vector<ended_request> assists_repo::expire_due(int64_t now_ms) {
  return ended(kExpireDue, {now_ms});
}

std::vector<ended_request>
assists_repo::void_pending_on_claim(claim_id claim, int64_t now_ms) {
  return ended(kVoidOnClaim, {claim, now_ms});
}

std::vector<ended_request> assists_repo::void_pending_of(account_id account,
                                                         int64_t now_ms) {
  return ended(kVoidOf, {account, now_ms});
}

std::vector<assist_row>
assists_repo::many(std::string_view sql,
                   std::initializer_list<sql_param> params) {
  std::vector<assist_row> out;
  for (auto& r : db_.exec(sql, params).rows)
    out.push_back(assist_row{r.integer(0), r.integer(1), r.integer(2),
                             r.integer(3), r.text(4),
                             parse_state(r.text(5)).value_or(assist_state::void_),
                             r.integer(6), r.integer(7),
                             r.optional_integer(8)});
  return out;
}

std::vector<ended_request>
assists_repo::ended(std::string_view sql,
                    std::initializer_list<sql_param> params) {
  std::vector<ended_request> out;
  for (auto& r : db_.exec(sql, params).rows)
    out.push_back(ended_request{r.integer(0), r.integer(1), r.integer(2)});
  return out;
}

std::optional<int64_t> assist_quota_repo::take(account_id account,
                                               std::string_view day,
                                               int64_t limit) {
  auto r = db_.exec(kTake, {account, day, limit});
  if (r.empty())
    return std::nullopt;
  return r.rows[0].integer(0);
}

int64_t assist_quota_repo::used(account_id account, std::string_view day) {
  auto r = db_.exec(kUsed, {account, day});
  return r.empty() ? 0 : r.rows[0].integer(0);
}

} // namespace idclaim::storage
