#include "storage/sms_codes_repo.hpp"

namespace idclaim::storage {

namespace {

constexpr std::string_view kSentSince
  = "SELECT count(*) FROM sms_codes WHERE mobile_index IN (?1, ?2) "
    "AND created_ms > ?3";
constexpr std::string_view kInsert
  = "INSERT INTO sms_codes(purpose, mobile_index, account_id, code_digest, "
    "created_ms, expires_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id";
constexpr std::string_view kLive
  = "SELECT id, purpose, mobile_index, account_id, code_digest, created_ms, "
    "expires_ms, tries, used_ms FROM sms_codes WHERE purpose = ?1 "
    "AND mobile_index IN (?2, ?5) AND (?3 = 0 OR account_id = ?3) "
    "AND used_ms IS NULL AND expires_ms > ?4 ORDER BY id DESC LIMIT 1";
constexpr std::string_view kLatestExpiry
  = "SELECT coalesce(max(expires_ms), 0) FROM sms_codes "
    "WHERE created_ms <= ?1";
constexpr std::string_view kAddTry
  = "UPDATE sms_codes SET tries = tries + 1 WHERE id = ?1 RETURNING tries";
constexpr std::string_view kUse
  = "UPDATE sms_codes SET used_ms = ?2 WHERE id = ?1 AND used_ms IS NULL";

} // namespace

int64_t sms_codes_repo::sent_since(const std::string& mobile_index,
                                   int64_t since_ms) {
  return sent_since(mobile_index, mobile_index, since_ms);
}

int64_t sms_codes_repo::sent_since(const std::string& current,
                                   const std::string& other, int64_t since_ms) {
  return db_
    .exec(kSentSince,
          {blob(current), other_blob(current, other), since_ms})
    .rows[0]
    .integer(0);
}

int64_t sms_codes_repo::latest_expiry(int64_t created_ms) {
  return db_.exec(kLatestExpiry, {created_ms}).rows[0].integer(0);
}

int64_t sms_codes_repo::insert(const sms_code_row& r) {
  return db_.exec(kInsert, {std::string_view{r.purpose}, blob(r.mobile_index),
                            int_or_null(r.account), blob(r.code_digest),
                            r.created_ms, r.expires_ms})
    .rows[0]
    .integer(0);
}

std::optional<sms_code_row>
sms_codes_repo::live(std::string_view purpose, const std::string& mobile_index,
                     std::optional<account_id> account, int64_t now_ms) {
  return live(purpose, mobile_index, mobile_index, account, now_ms);
}

std::optional<sms_code_row>
sms_codes_repo::live(std::string_view purpose, const std::string& current,
                     const std::string& other,
                     std::optional<account_id> account, int64_t now_ms) {
  auto r = db_.exec(kLive, {purpose, blob(current), account.value_or(0), now_ms,
                            other_blob(current, other)});
  if (r.empty())
    return std::nullopt;
  auto& x = r.rows[0];
  return sms_code_row{x.integer(0),          x.text(1),    x.text(2),
                      x.optional_integer(3), x.text(4),    x.integer(5),
                      x.integer(6),          x.integer(7), x.optional_integer(8)};
}

int64_t sms_codes_repo::add_try(int64_t id) {
  auto r = db_.exec(kAddTry, {id});
  return r.empty() ? 0 : r.rows[0].integer(0);
}

bool sms_codes_repo::use(int64_t id, int64_t now_ms) {
  return db_.exec(kUse, {id, now_ms}).affected == 1;
}

} // namespace idclaim::storage
