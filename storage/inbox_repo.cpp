#include "storage/inbox_repo.hpp"

namespace idclaim::storage {

namespace {

constexpr std::string_view kAdd
  = "INSERT INTO inbox_items(account_id, kind, assist_request_id, "
    "review_case_id, detail, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
    "RETURNING id";

#define INBOX_COLUMNS                                                          \
  "SELECT id, account_id, kind, assist_request_id, review_case_id, detail, "   \
  "created_ms, read_ms FROM inbox_items "
constexpr std::string_view kList
  = INBOX_COLUMNS "WHERE account_id = ?1 AND (?2 = 0 OR id < ?2) "
                  "ORDER BY id DESC LIMIT ?3";
constexpr std::string_view kFind = INBOX_COLUMNS "WHERE id = ?1";
constexpr std::string_view kForRequest
  = INBOX_COLUMNS "WHERE account_id = ?1 AND assist_request_id = ?2";
#undef INBOX_COLUMNS

constexpr std::string_view kUnread
  = "SELECT count(*) FROM inbox_items WHERE account_id = ?1 "
    "AND read_ms IS NULL";
constexpr std::string_view kMarkRead
  = "UPDATE inbox_items SET read_ms = ?2 WHERE id = ?1 AND read_ms IS NULL";

constexpr inbox_kind all_kinds[] = {
  inbox_kind::assist_request,  inbox_kind::assist_declined,
  inbox_kind::assist_ended,    inbox_kind::review_approved,
  inbox_kind::review_rejected, inbox_kind::claim_resolved,
  inbox_kind::account_cancelled, inbox_kind::claim_contested};

} // namespace

std::string_view to_string(inbox_kind k) {
  switch (k) {
    case inbox_kind::assist_request:
      return "assist_request";
    case inbox_kind::assist_declined:
      return "assist_declined";
    case inbox_kind::assist_ended:
      return "assist_ended";
    case inbox_kind::review_approved:
      return "review_approved";
    case inbox_kind::review_rejected:
      return "review_rejected";
    case inbox_kind::claim_resolved:
      return "claim_resolved";
    case inbox_kind::account_cancelled:
      return "account_cancelled";
    case inbox_kind::claim_contested:
      return "claim_contested";
  }
  return "claim_contested";
}

std::optional<inbox_kind> parse_inbox_kind(std::string_view s) {
  for (auto k : all_kinds)
    if (to_string(k) == s)
      return k;
  return std::nullopt;
}

int64_t inbox_repo::add(account_id account, inbox_kind kind,
                        std::optional<int64_t> assist_request,
                        std::optional<int64_t> review_case,
                        std::string_view detail, int64_t now_ms) {
  return db_.exec(kAdd, {account, to_string(kind), int_or_null(assist_request),
                         int_or_null(review_case), detail, now_ms})
    .rows[0]
    .integer(0);
}

std::vector<inbox_row> inbox_repo::list(account_id account, int64_t before_id,
                                        int64_t limit) {
  return many(kList, {account, before_id, limit});
}

std::optional<inbox_row> inbox_repo::find(int64_t id) {
  auto rows = many(kFind, {id});
  if (rows.empty())
    return std::nullopt;
  return rows.front();
}

std::optional<inbox_row> inbox_repo::for_request(account_id account,
                                                 int64_t assist_request) {
  auto rows = many(kForRequest, {account, assist_request});
  if (rows.empty())
    return std::nullopt;
  return rows.front();
}

int64_t inbox_repo::unread(account_id account) {
  return db_.exec(kUnread, {account}).rows[0].integer(0);
}

bool inbox_repo::mark_read(int64_t id, int64_t now_ms) {
  return db_.exec(kMarkRead, {id, now_ms}).affected == 1;
}

std::vector<inbox_row>
inbox_repo::many(std::string_view sql,
                 std::initializer_list<sql_param> params) {
  std::vector<inbox_row> out;
  for (auto& r : db_.exec(sql, params).rows)
    out.push_back(inbox_row{
      r.integer(0), r.integer(1),
      parse_inbox_kind(r.text(2)).value_or(inbox_kind::claim_contested),
      r.optional_integer(3), r.optional_integer(4), r.text(5), r.integer(6),
      r.optional_integer(7)});
  return out;
}

} // namespace idclaim::storage
