#include "actors/claim_transactions.hpp"

#include <algorithm>

#include "domain/notices.hpp"

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

/// Finds the claim under either key and locks it. A claim found under the
/// other key is used as it is: which key is the newer one is the sweep's
/// business (a server not yet switched has them the other way round).
std::optional<storage::claim_id> find_and_lock(storage::connection& conn,
                                               const claim_keys& keys) {
  auto claims = conn.claims();
  auto found = keys.other.empty()
                 ? std::optional<std::pair<storage::claim_id, std::string>>{}
                 : claims.find_either(keys.current, keys.other);
  if (keys.other.empty())
    if (auto id = claims.find(keys.current))
      found.emplace(*id, keys.current);
  if (!found)
    return std::nullopt;
  claims.lock(found->first);
  return found->first;
}

/// The claim an op batch works on, locked; registrations may create it.
std::optional<storage::claim_id> lock_claim(storage::connection& conn,
                                            const claim_keys& keys,
                                            const std::vector<claim_op>& ops,
                                            int64_t now_ms) {
  for (auto& op : ops)
    if (auto reg = std::get_if<registration>(&op)) {
      if (!keys.other.empty()) {
        // Servers that write under different index keys (one has switched,
        // one not yet) must not both create the claim: both know both
        // values, so a lock named by the smaller one serialises them, and
        // each then finds the other's row.
        conn.claims().lock_name(std::min(keys.current, keys.other));
        if (auto claim = find_and_lock(conn, keys))
          return claim;
      }
      return conn.claims().ensure_locked(keys.current, reg->id_cipher, now_ms);
    }
  return find_and_lock(conn, keys);
}

claim_outcome run_op(storage::connection& conn, storage::claim_id claim,
                     claim_state& state, const claim_op& op,
                     const txn_env& env, txn_effects& effects) {
  if (auto reg = std::get_if<registration>(&op))
    return register_account(conn, claim, state, *reg, env, effects);
  if (auto sub = std::get_if<review_submission>(&op))
    return open_review(conn, claim, state, *sub, env, effects);
  if (auto rej = std::get_if<review_rejection>(&op))
    return reject_review(conn, claim, state, *rej, env);
  return resolve_claim(conn, claim, state, std::get<resolution_request>(op),
                       env);
}

} // namespace

claim_outcome register_account(storage::connection& conn,
                               storage::claim_id claim, claim_state& state,
                               const registration& reg, const txn_env& env,
                               txn_effects& effects) {
  // `state` is the claim as this locked transaction sees it. Should a
  // constraint still find an active holder (a writer that skipped the claim
  // lock), the state is reloaded and the decision made again, once.
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto decision = decide_registration(state, reg.acknowledge_duplicate);
    if (decision == registration_decision::refuse_held
        || decision == registration_decision::refuse_under_review)
      return refusal_problem(decision);
    auto status = decision == registration_decision::become_holder
                    ? account_status::active
                    : account_status::restricted;
    auto inserted = conn.accounts().insert(
      to_row(reg, claim, status, env.now_ms));
    if (auto id = std::get_if<account_id>(&inserted)) {
      conn.claims().append_event(
        {0, claim, env.now_ms,
         status == account_status::active ? "registered_holder"
                                          : "registered_claimant",
         *id, std::nullopt, ""});
      if (status == account_status::active) {
        state.holder = *id;
      } else {
        state.claimants += 1;
        tell_holder(conn, state, env, effects);
      }
      return registration_result{*id, reg.username, status};
    }
    if (std::get<storage::insert_refusal>(inserted)
        == storage::insert_refusal::username_taken)
      return make_problem(errc::username_taken, "username");
    state = conn.claims().state(claim);
  }
  return make_problem(errc::storage_failed);
}

void tell_holder(storage::connection& conn, const claim_state& state,
                 const txn_env& env, txn_effects& effects) {
  if (!state.holder)
    return;
  conn.inbox().add(*state.holder, storage::inbox_kind::claim_contested,
                   std::nullopt, std::nullopt, "", env.now_ms);
  conn.account_changed(*state.holder);
  auto holder = conn.accounts().find(*state.holder);
  if (!holder || !holder->mobile_bound || !env.cipher)
    return;
  if (auto mobile = env.cipher->open(holder->mobile_cipher, "account.mobile"))
    effects.sms.push_back(sms_message{*mobile,
                                      std::string{domain::sms_claim_contested},
                                      "", env.now_ms});
}

claim_batch_result run_claim_ops(storage::connection& conn,
                                 const std::string& claim_key,
                                 const std::vector<claim_op>& ops,
                                 const txn_env& env) {
  return run_claim_ops(conn, claim_keys{claim_key, {}}, ops, env);
}

claim_batch_result run_claim_ops(storage::connection& conn,
                                 const claim_keys& keys,
                                 const std::vector<claim_op>& ops,
                                 const txn_env& env) {
  claim_batch_result out;
  auto claim = lock_claim(conn, keys, ops, env.now_ms);
  if (!claim) {
    // No account ever used this ID: nothing to review or resolve.
    for (std::size_t i = 0; i < ops.size(); ++i)
      out.outcomes.emplace_back(make_problem(errc::not_found));
    return out;
  }
  out.state = conn.claims().state(*claim);
  for (auto& op : ops)
    out.outcomes.push_back(
      run_op(conn, *claim, out.state, op, env, out.effects));
  return out;
}

} // namespace idclaim::actors
