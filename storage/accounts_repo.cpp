#include "storage/accounts_repo.hpp"

#include "storage/storage_error.hpp"

namespace idclaim::storage {

namespace {

// ON CONFLICT DO NOTHING covers every unique index, the partial one of I1
// included, so a refusal needs no savepoint and no error path.
constexpr std::string_view kInsert
  = "INSERT INTO accounts(username, username_key, password_hash, name_cipher, "
    "claim_id, mobile_cipher, mobile_index, email_cipher, status, "
    "created_ms, updated_ms) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10) "
    "ON CONFLICT DO NOTHING RETURNING id";
constexpr std::string_view kUsernameExists
  = "SELECT 1 FROM accounts WHERE username_key = ?1";

#define ACCOUNT_COLUMNS                                                        \
  "SELECT a.id, a.username, a.username_key, a.password_hash, a.name_cipher, "  \
  "a.claim_id, c.claim_key, a.mobile_cipher, a.mobile_index, a.email_cipher, " \
  "a.mobile_bound, a.status, a.cancel_reason, a.military_registered, "         \
  "a.grad_exam_registered, a.created_ms, a.updated_ms "                        \
  "FROM accounts a JOIN claims c ON c.id = a.claim_id "

constexpr std::string_view kById = ACCOUNT_COLUMNS "WHERE a.id = ?1";
constexpr std::string_view kByUsername
  = ACCOUNT_COLUMNS "WHERE a.username_key = ?1";
constexpr std::string_view kByMobile
  = ACCOUNT_COLUMNS "WHERE a.mobile_index IN (?1, ?2) ORDER BY a.id";
constexpr std::string_view kOnClaim
  = ACCOUNT_COLUMNS "WHERE a.claim_id = ?1 ORDER BY a.id";
#undef ACCOUNT_COLUMNS

constexpr std::string_view kCancelAllBut
  = "UPDATE accounts SET status = 'cancelled', cancel_reason = ?3, "
    "updated_ms = ?4 WHERE claim_id = ?1 AND id <> ?2 "
    "AND status <> 'cancelled' RETURNING id";
constexpr std::string_view kActivate
  = "UPDATE accounts SET status = 'active', updated_ms = ?2 "
    "WHERE id = ?1 AND status = 'restricted'";
constexpr std::string_view kSetUsername
  = "UPDATE accounts SET username = ?2, username_key = ?3, updated_ms = ?4 "
    "WHERE id = ?1 AND NOT EXISTS "
    "(SELECT 1 FROM accounts o WHERE o.username_key = ?3 AND o.id <> ?1)";
constexpr std::string_view kSetPassword
  = "UPDATE accounts SET password_hash = ?2, updated_ms = ?3 WHERE id = ?1";
constexpr std::string_view kSetMobile
  = "UPDATE accounts SET mobile_cipher = ?2, mobile_index = ?3, "
    "mobile_bound = ?4, updated_ms = ?5 WHERE id = ?1";
constexpr std::string_view kSetEmail
  = "UPDATE accounts SET email_cipher = ?2, updated_ms = ?3 WHERE id = ?1";
constexpr std::string_view kSetRegistrations
  = "UPDATE accounts SET military_registered = ?2, grad_exam_registered = ?3, "
    "updated_ms = ?4 WHERE id = ?1";

account_row to_account(const sql_row& r) {
  account_row a;
  a.id = r.integer(0);
  a.username = r.text(1);
  a.username_key = r.text(2);
  a.password_hash = r.text(3);
  a.name_cipher = r.text(4);
  a.claim = r.integer(5);
  a.claim_key = r.text(6);
  a.mobile_cipher = r.text(7);
  a.mobile_index = r.text(8);
  a.email_cipher = r.text(9);
  a.mobile_bound = r.flag(10);
  a.status = parse_account_status(r.text(11)).value_or(account_status::cancelled);
  a.cancel_reason = r.text(12);
  a.military_registered = r.flag(13);
  a.grad_exam_registered = r.flag(14);
  a.created_ms = r.integer(15);
  a.updated_ms = r.integer(16);
  return a;
}

} // namespace

std::variant<account_id, insert_refusal>
accounts_repo::insert(const new_account& a) {
  auto r = db_.exec(kInsert, {std::string_view{a.username},
                              std::string_view{a.username_key},
                              std::string_view{a.password_hash},
                              blob(a.name_cipher), a.claim,
                              blob_or_null(a.mobile_cipher),
                              blob_or_null(a.mobile_index),
                              blob_or_null(a.email_cipher),
                              to_string(a.status), a.now_ms});
  if (!r.empty())
    return r.rows[0].integer(0);
  if (!db_.exec(kUsernameExists, {std::string_view{a.username_key}}).empty())
    return insert_refusal::username_taken;
  return insert_refusal::active_exists;
}

std::optional<account_row> accounts_repo::find(account_id id) {
  return one(kById, {id});
}

std::optional<account_row>
accounts_repo::find_by_username(const std::string& key) {
  return one(kByUsername, {std::string_view{key}});
}

std::vector<account_row>
accounts_repo::by_mobile(const std::string& mobile_index) {
  return by_mobile(mobile_index, mobile_index);
}

std::vector<account_row> accounts_repo::by_mobile(const std::string& current,
                                                  const std::string& other) {
  return many(kByMobile,
              {blob(current), other_blob(current, other)});
}

std::vector<account_row> accounts_repo::on_claim(claim_id claim) {
  return many(kOnClaim, {claim});
}

std::vector<account_id>
accounts_repo::cancel_all_but(claim_id claim, account_id winner,
                              const std::string& reason, int64_t now_ms) {
  std::vector<account_id> out;
  for (auto& row : db_.exec(kCancelAllBut, {claim, winner,
                                            std::string_view{reason}, now_ms})
                     .rows)
    out.push_back(row.integer(0));
  return out;
}

bool accounts_repo::activate(account_id id, int64_t now_ms) {
  return db_.exec(kActivate, {id, now_ms}).affected == 1;
}

bool accounts_repo::set_username(account_id id, const std::string& username,
                                 const std::string& key, int64_t now_ms) {
  // In PostgreSQL a failed statement aborts the whole transaction; the
  // savepoint keeps the rest of the job alive when the constraint refuses.
  db_.savepoint();
  try {
    auto changed = db_.exec(kSetUsername, {id, std::string_view{username},
                                           std::string_view{key}, now_ms})
                     .affected
                   == 1;
    db_.release_savepoint();
    return changed;
  } catch (const storage_error& e) {
    db_.rollback_to_savepoint();
    // Another process took the name between the check and the write.
    if (e.kind() == failure_kind::unique_violation)
      return false;
    throw;
  }
}

void accounts_repo::set_password_hash(account_id id, const std::string& hash,
                                      int64_t now_ms) {
  db_.exec(kSetPassword, {id, std::string_view{hash}, now_ms});
}

void accounts_repo::set_mobile(account_id id, const std::string& cipher,
                               const std::string& index, bool bound,
                               int64_t now_ms) {
  db_.exec(kSetMobile, {id, blob(cipher), blob(index), int64_t{bound}, now_ms});
}

void accounts_repo::set_email(account_id id, const std::string& cipher,
                              int64_t now_ms) {
  db_.exec(kSetEmail, {id, blob_or_null(cipher), now_ms});
}

void accounts_repo::set_registrations(account_id id, bool military,
                                      bool grad_exam, int64_t now_ms) {
  db_.exec(kSetRegistrations,
           {id, int64_t{military}, int64_t{grad_exam}, now_ms});
}

std::optional<account_row>
accounts_repo::one(std::string_view sql,
                   std::initializer_list<sql_param> params) {
  auto r = db_.exec(sql, params);
  if (r.empty())
    return std::nullopt;
  return to_account(r.rows[0]);
}

std::vector<account_row>
accounts_repo::many(std::string_view sql,
                    std::initializer_list<sql_param> params) {
  std::vector<account_row> out;
  for (auto& row : db_.exec(sql, params).rows)
    out.push_back(to_account(row));
  return out;
}

} // namespace idclaim::storage
