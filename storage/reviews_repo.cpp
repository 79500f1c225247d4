#include "storage/reviews_repo.hpp"

namespace idclaim::storage {

namespace {

constexpr std::string_view kOpen
  = "INSERT INTO review_cases(claim_id, account_id, state, submitted_ms) "
    "VALUES (?1, ?2, 'open', ?3) ON CONFLICT DO NOTHING RETURNING id";
constexpr std::string_view kAddPhoto
  = "INSERT INTO review_photos(case_id, side, content_type, photo_cipher) "
    "VALUES (?1, ?2, ?3, ?4)";

#define REVIEW_COLUMNS                                                         \
  "SELECT id, claim_id, account_id, state, reason, submitted_ms, closed_ms, "  \
  "closed_by_staff FROM review_cases "
constexpr std::string_view kFind = REVIEW_COLUMNS "WHERE id = ?1";
constexpr std::string_view kByAccount
  = REVIEW_COLUMNS "WHERE account_id = ?1 ORDER BY id DESC";
constexpr std::string_view kQueue
  = REVIEW_COLUMNS "WHERE state = 'open' ORDER BY submitted_ms, id "
                   "LIMIT ?1 OFFSET ?2";
constexpr std::string_view kClosed
  = REVIEW_COLUMNS "WHERE state = ?1 ORDER BY closed_ms DESC, id DESC "
                   "LIMIT ?2 OFFSET ?3";
#undef REVIEW_COLUMNS

constexpr std::string_view kOpenCount
  = "SELECT count(*), min(submitted_ms) FROM review_cases WHERE state = 'open'";
constexpr std::string_view kClose
  = "UPDATE review_cases SET state = ?2, closed_by_staff = ?3, reason = ?4, "
    "closed_ms = ?5 WHERE id = ?1 AND state = 'open'";
constexpr std::string_view kVoidOnClaim
  = "UPDATE review_cases SET state = 'void', closed_ms = ?2 "
    "WHERE claim_id = ?1 AND state = 'open' RETURNING id, account_id";
constexpr std::string_view kPhoto
  = "SELECT side, content_type, photo_cipher FROM review_photos "
    "WHERE case_id = ?1 AND side = ?2";
constexpr std::string_view kPurgePhotos
  = "DELETE FROM review_photos WHERE case_id IN (SELECT id FROM review_cases "
    "WHERE state <> 'open' AND closed_ms < ?1)";

std::optional<review_state> parse_state(std::string_view s) {
  for (auto x : {review_state::open, review_state::approved,
                 review_state::rejected, review_state::void_})
    if (to_string(x) == s)
      return x;
  return std::nullopt;
}

review_row to_review(const sql_row& r) {
  return review_row{r.integer(0),
                    r.integer(1),
                    r.integer(2),
                    parse_state(r.text(3)).value_or(review_state::void_),
                    r.text(4),
                    r.integer(5),
                    r.optional_integer(6),
                    r.optional_integer(7)};
}

} // namespace

std::string_view to_string(review_state s) {
  switch (s) {
    case review_state::open:
      return "open";
    case review_state::approved:
      return "approved";
    case review_state::rejected:
      return "rejected";
    case review_state::void_:
      return "void";
  }
  return "void";
}

std::optional<int64_t> reviews_repo::open(claim_id claim, account_id account,
                                          int64_t now_ms,
                                          const review_photo& front,
                                          const review_photo& back) {
  auto r = db_.exec(kOpen, {claim, account, now_ms});
  if (r.empty())
    return std::nullopt;
  auto id = r.rows[0].integer(0);
  for (auto* p : {&front, &back})
    db_.exec(kAddPhoto, {id, std::string_view{p->side},
                         std::string_view{p->content_type}, blob(p->cipher)});
  return id;
}

std::optional<review_row> reviews_repo::find(int64_t id) {
  auto rows = many(kFind, {id});
  if (rows.empty())
    return std::nullopt;
  return rows.front();
}

std::vector<review_row> reviews_repo::by_account(account_id account) {
  return many(kByAccount, {account});
}

std::vector<review_row> reviews_repo::queue(int64_t limit, int64_t offset) {
  return many(kQueue, {limit, offset});
}

std::vector<review_row> reviews_repo::closed(review_state state, int64_t limit,
                                             int64_t offset) {
  return many(kClosed, {to_string(state), limit, offset});
}

int64_t reviews_repo::open_count() {
  return db_.exec(kOpenCount, {}).rows[0].integer(0);
}

std::optional<int64_t> reviews_repo::oldest_open_ms() {
  return db_.exec(kOpenCount, {}).rows[0].optional_integer(1);
}

bool reviews_repo::close(int64_t id, review_state to,
                         std::optional<int64_t> staff,
                         const std::string& reason, int64_t now_ms) {
  return db_.exec(kClose, {id, to_string(to), int_or_null(staff),
                           std::string_view{reason}, now_ms})
           .affected
         == 1;
}

std::vector<closed_case> reviews_repo::void_open_on_claim(claim_id claim,
                                                          int64_t now_ms) {
  std::vector<closed_case> out;
  for (auto& row : db_.exec(kVoidOnClaim, {claim, now_ms}).rows)
    out.push_back(closed_case{row.integer(0), row.integer(1)});
  return out;
}

std::optional<review_photo> reviews_repo::photo(int64_t case_id,
                                                std::string_view side) {
  auto r = db_.exec(kPhoto, {case_id, side});
  if (r.empty())
    return std::nullopt;
  auto& row = r.rows[0];
  return review_photo{row.text(0), row.text(1), row.text(2)};
}

int64_t reviews_repo::purge_photos(int64_t closed_before_ms) {
  return db_.exec(kPurgePhotos, {closed_before_ms}).affected;
}

std::vector<review_row>
reviews_repo::many(std::string_view sql,
                   std::initializer_list<sql_param> params) {
  std::vector<review_row> out;
  for (auto& row : db_.exec(sql, params).rows)
    out.push_back(to_review(row));
  return out;
}

} // namespace idclaim::storage
