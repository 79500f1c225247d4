#include "storage/login_log_repo.hpp"

namespace idclaim::storage {

namespace {

constexpr std::string_view kAppend
  = "INSERT INTO login_log(account_id, at_ms, ip, client, success) "
    "VALUES (?1, ?2, ?3, ?4, ?5)";
// The CAST makes PostgreSQL read ?2 as a BIGINT rather than as the INTEGER
// that `?2 = 0` alone would suggest.
constexpr std::string_view kPage
  = "SELECT id, account_id, at_ms, ip, client, success FROM login_log "
    "WHERE account_id = ?1 AND (CAST(?2 AS BIGINT) = 0 OR id < ?2) "
    "ORDER BY id DESC LIMIT ?3";
constexpr std::string_view kFailuresSince
  = "SELECT count(*) FROM login_log WHERE account_id = ?1 AND success = 0 "
    "AND at_ms > ?2 AND id > coalesce((SELECT max(id) FROM login_log "
    "WHERE account_id = ?1 AND success = 1), 0)";
constexpr std::string_view kFailuresFromIp
  = "SELECT count(*) FROM login_log WHERE ip = ?1 AND success = 0 "
    "AND at_ms > ?2";

} // namespace

void login_log_repo::append(const login_row& r) {
  db_.exec(kAppend, {int_or_null(r.account), r.at_ms, std::string_view{r.ip},
                     std::string_view{r.client}, int64_t{r.success}});
}

std::vector<login_row> login_log_repo::page(account_id account,
                                            int64_t before_id, int64_t limit) {
  std::vector<login_row> out;
  for (auto& row : db_.exec(kPage, {account, before_id, limit}).rows)
    out.push_back(login_row{row.integer(0), row.optional_integer(1),
                            row.integer(2), row.text(3), row.text(4),
                            row.flag(5)});
  return out;
}

int64_t login_log_repo::failures_since(account_id account, int64_t since_ms) {
  return db_.exec(kFailuresSince, {account, since_ms}).rows[0].integer(0);
}

int64_t login_log_repo::failures_from_ip(const std::string& ip,
                                         int64_t since_ms) {
  return db_.exec(kFailuresFromIp, {std::string_view{ip}, since_ms})
    .rows[0]
    .integer(0);
}

} // namespace idclaim::storage
