#include "storage/sessions_repo.hpp"

namespace idclaim::storage {

namespace {

constexpr std::string_view kInsert
  = "INSERT INTO sessions(token_digest, subject_kind, subject_id, created_ms, "
    "expires_ms) VALUES (?1, ?2, ?3, ?4, ?5)";
constexpr std::string_view kFind
  = "SELECT subject_kind, subject_id, created_ms, expires_ms FROM sessions "
    "WHERE token_digest = ?1";
constexpr std::string_view kRemove
  = "DELETE FROM sessions WHERE token_digest = ?1";
constexpr std::string_view kRemoveOthers
  = "DELETE FROM sessions WHERE subject_kind = ?1 AND subject_id = ?2 "
    "AND token_digest <> ?3";
constexpr std::string_view kPurge = "DELETE FROM sessions WHERE expires_ms < ?1";

std::string_view kind_text(subject_kind k) {
  return k == subject_kind::account ? "account" : "staff";
}

} // namespace

void sessions_repo::insert(const session_row& r) {
  db_.exec(kInsert, {blob(r.token_digest), kind_text(r.kind), r.subject_id,
                     r.created_ms, r.expires_ms});
}

std::optional<session_row>
sessions_repo::find(const std::string& token_digest) {
  auto r = db_.exec(kFind, {blob(token_digest)});
  if (r.empty())
    return std::nullopt;
  auto& row = r.rows[0];
  return session_row{token_digest,
                     row.text(0) == "staff" ? subject_kind::staff
                                            : subject_kind::account,
                     row.integer(1), row.integer(2), row.integer(3)};
}

bool sessions_repo::remove(const std::string& token_digest) {
  return db_.exec(kRemove, {blob(token_digest)}).affected == 1;
}

int64_t sessions_repo::remove_others(subject_kind kind, int64_t subject_id,
                                     const std::string& keep_digest) {
  return db_.exec(kRemoveOthers,
                  {kind_text(kind), subject_id, blob(keep_digest)})
    .affected;
}

int64_t sessions_repo::purge_expired(int64_t now_ms) {
  return db_.exec(kPurge, {now_ms}).affected;
}

} // namespace idclaim::storage
