#include "actors/claim_transactions.hpp"

namespace idclaim::actors {

namespace {

storage::new_account to_row(const registration& r, account_status status,
                            int64_t now_ms) {
  storage::new_account row;
  row.username = r.username;
  row.username_key = r.username_key;
  row.password_hash = r.password_hash;
  row.name_cipher = r.name_cipher;
  row.claim_key = r.claim_key;
  row.id_cipher = r.id_cipher;
  row.mobile_cipher = r.mobile_cipher;
  row.mobile_index = r.mobile_index;
  row.email_cipher = r.email_cipher;
  row.status = status;
  row.now_ms = now_ms;
  return row;
}

problem refusal_problem(registration_decision d) {
  return d == registration_decision::refuse_under_review
           ? make_problem(errc::id_under_review, "id_number")
           : make_problem(errc::id_already_registered, "id_number");
}

/// Inserts one account as decided; a lost race on I1 (another process made
/// an active holder meanwhile) is decided again against the new state.
registration_outcome register_one(storage::connection& conn,
                                  const std::string& key,
                                  const registration& reg, int64_t now_ms) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto decision = decide_registration(conn.load_claim(key),
                                        reg.acknowledge_duplicate);
    if (decision == registration_decision::refuse_held
        || decision == registration_decision::refuse_under_review)
      return refusal_problem(decision);
    auto status = decision == registration_decision::become_holder
                    ? account_status::active
                    : account_status::restricted;
    conn.savepoint();
    auto inserted = conn.insert_account(to_row(reg, status, now_ms));
    if (auto id = std::get_if<account_id>(&inserted)) {
      conn.release_savepoint();
      conn.append_claim_event(key, now_ms,
                              status == account_status::active
                                ? "registered_holder"
                                : "registered_claimant",
                              *id, "");
      return registration_result{*id, reg.username, status};
    }
    conn.rollback_to_savepoint();
    if (std::get<storage::insert_refusal>(inserted)
        == storage::insert_refusal::username_taken)
      return make_problem(errc::username_taken, "username");
  }
  return make_problem(errc::storage_failed);
}

} // namespace

claim_batch_result run_claim_batch(storage::connection& conn,
                                   const std::string& claim_key,
                                   const std::vector<registration>& regs,
                                   int64_t now_ms) {
  claim_batch_result out;
  if (!regs.empty())
    conn.ensure_claim(claim_key, regs.front().id_cipher, now_ms);
  for (auto& reg : regs)
    out.outcomes.push_back(register_one(conn, claim_key, reg, now_ms));
  out.state = conn.load_claim(claim_key);
  return out;
}

} // namespace idclaim::actors
