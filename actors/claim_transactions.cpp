#include "actors/claim_transactions.hpp"

namespace idclaim::actors {

namespace {

storage::new_account to_row(const registration& r, storage::claim_id claim,
                            account_status status, int64_t now_ms) {
  storage::new_account row;
  row.username = r.username;
  row.username_key = r.username_key;
  row.password_hash = r.password_hash;
  row.name_cipher = r.name_cipher;
  row.claim = claim;
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

/// Decides and inserts one account. `state` is the claim as this locked
/// transaction sees it and is kept up to date. Should a constraint still
/// find an active holder (a writer that skipped the claim lock), the state
/// is reloaded and the decision made again, once.
registration_outcome register_one(storage::connection& conn,
                                  storage::claim_id claim, claim_state& state,
                                  const registration& reg, int64_t now_ms) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto decision = decide_registration(state, reg.acknowledge_duplicate);
    if (decision == registration_decision::refuse_held
        || decision == registration_decision::refuse_under_review)
      return refusal_problem(decision);
    auto status = decision == registration_decision::become_holder
                    ? account_status::active
                    : account_status::restricted;
    auto inserted = conn.accounts().insert(to_row(reg, claim, status, now_ms));
    if (auto id = std::get_if<account_id>(&inserted)) {
      if (status == account_status::active)
        state.holder = *id;
      else
        state.claimants += 1;
      conn.claims().append_event(
        {0, claim, now_ms,
         status == account_status::active ? "registered_holder"
                                          : "registered_claimant",
         *id, std::nullopt, ""});
      return registration_result{*id, reg.username, status};
    }
    if (std::get<storage::insert_refusal>(inserted)
        == storage::insert_refusal::username_taken)
      return make_problem(errc::username_taken, "username");
    state = conn.claims().state(claim);
  }
  return make_problem(errc::storage_failed);
}

} // namespace

claim_batch_result run_claim_batch(storage::connection& conn,
                                   const std::string& claim_key,
                                   const std::vector<registration>& regs,
                                   int64_t now_ms) {
  claim_batch_result out;
  if (regs.empty()) {
    auto claim = conn.claims().find(claim_key);
    out.state = claim ? conn.claims().state(*claim) : claim_state{};
    return out;
  }
  auto claim = conn.claims().ensure_locked(claim_key, regs.front().id_cipher,
                                           now_ms);
  out.state = conn.claims().state(claim);
  for (auto& reg : regs)
    out.outcomes.push_back(register_one(conn, claim, out.state, reg, now_ms));
  return out;
}

} // namespace idclaim::actors
