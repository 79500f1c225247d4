#include "storage/claims_repo.hpp"

#include "storage/storage_error.hpp"

namespace idclaim::storage {

namespace {

// The upsert both creates and locks: ON CONFLICT DO UPDATE takes the row
// lock in PostgreSQL even when the row exists.
constexpr std::string_view kEnsureLocked
  = "INSERT INTO claims(claim_key, id_cipher, created_ms) VALUES (?1, ?2, ?3) "
    "ON CONFLICT(claim_key) DO UPDATE SET lock_seq = claims.lock_seq + 1 "
    "RETURNING id";
constexpr std::string_view kLock
  = "UPDATE claims SET lock_seq = lock_seq + 1 WHERE id = ?1";
constexpr std::string_view kFind = "SELECT id FROM claims WHERE claim_key = ?1";
constexpr std::string_view kFindEither
  = "SELECT id, claim_key FROM claims WHERE claim_key IN (?1, ?2)";
constexpr std::string_view kAdvisoryLock
  = "SELECT pg_advisory_xact_lock(CAST(?1 AS BIGINT))";
constexpr std::string_view kKeyOf = "SELECT claim_key FROM claims WHERE id = ?1";
constexpr std::string_view kHolder
  = "SELECT id FROM accounts WHERE claim_id = ?1 AND status = 'active'";
constexpr std::string_view kClaimants
  = "SELECT count(*) FROM accounts WHERE claim_id = ?1 "
    "AND status = 'restricted'";
constexpr std::string_view kOpenReviews
  = "SELECT count(*) FROM review_cases WHERE claim_id = ?1 AND state = 'open'";
constexpr std::string_view kIdCipher
  = "SELECT id_cipher FROM claims WHERE id = ?1";
constexpr std::string_view kAppendEvent
  = "INSERT INTO claim_events(claim_id, at_ms, kind, account_id, staff_id, "
    "detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
constexpr std::string_view kEvents
  = "SELECT id, claim_id, at_ms, kind, account_id, staff_id, detail "
    "FROM claim_events WHERE claim_id = ?1 ORDER BY id";

} // namespace

claim_id claims_repo::ensure_locked(const std::string& key,
                                    const std::string& id_cipher,
                                    int64_t now_ms) {
  auto r = db_.exec(kEnsureLocked, {blob(key), blob(id_cipher), now_ms});
  if (r.empty())
    throw storage_error("claim upsert returned no id");
  return r.rows[0].integer(0);
}

void claims_repo::lock(claim_id id) {
  db_.exec(kLock, {id});
}

std::optional<claim_id> claims_repo::find(const std::string& key) {
  auto r = db_.exec(kFind, {blob(key)});
  if (r.empty())
    return std::nullopt;
  return r.rows[0].integer(0);
}

std::optional<std::pair<claim_id, std::string>>
claims_repo::find_either(const std::string& current, const std::string& other) {
  auto r = db_.exec(kFindEither,
                    {blob(current), other_blob(current, other)});
  std::optional<std::pair<claim_id, std::string>> out;
  for (auto& row : r.rows)
    if (!out || row.text(1) == current)
      out.emplace(row.integer(0), row.text(1));
  return out;
}

void claims_repo::lock_name(const std::string& name) {
  if (!db_.shared())
    return;
  // The first 8 bytes of a blind index are as good as random.
  uint64_t bits = 0;
  for (size_t i = 0; i < 8 && i < name.size(); ++i)
    bits = (bits << 8) | static_cast<unsigned char>(name[i]);
  db_.exec(kAdvisoryLock, {static_cast<int64_t>(bits)});
}

std::string claims_repo::key_of(claim_id id) {
  auto r = db_.exec(kKeyOf, {id});
  return r.empty() ? std::string{} : r.rows[0].text(0);
}

claim_state claims_repo::state(claim_id id) {
  claim_state out;
  if (auto r = db_.exec(kHolder, {id}); !r.empty())
    out.holder = r.rows[0].integer(0);
  out.claimants = static_cast<int>(db_.exec(kClaimants, {id}).rows[0].integer(0));
  out.open_reviews
    = static_cast<int>(db_.exec(kOpenReviews, {id}).rows[0].integer(0));
  return out;
}

std::optional<std::string> claims_repo::id_cipher(claim_id id) {
  auto r = db_.exec(kIdCipher, {id});
  if (r.empty())
    return std::nullopt;
  return r.rows[0].text(0);
}

void claims_repo::append_event(const claim_event& e) {
  db_.exec(kAppendEvent,
           {e.claim, e.at_ms, std::string_view{e.kind},
            int_or_null(e.account), int_or_null(e.staff),
            std::string_view{e.detail}});
}

std::vector<claim_event> claims_repo::events(claim_id id) {
  std::vector<claim_event> out;
  for (auto& row : db_.exec(kEvents, {id}).rows)
    out.push_back(claim_event{row.integer(0), row.integer(1), row.integer(2),
                              row.text(3), row.optional_integer(4),
                              row.optional_integer(5), row.text(6)});
  return out;
}

} // namespace idclaim::storage
