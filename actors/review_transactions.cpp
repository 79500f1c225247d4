// Opening and rejecting review cases (证件重复-客服审核), run by the claim
// actor with the claim locked.

#include "actors/claim_transactions.hpp"

namespace idclaim::actors {

claim_outcome open_review(storage::connection& conn, storage::claim_id claim,
                          claim_state& state, const review_submission& sub,
                          const txn_env& env, txn_effects& effects) {
  auto account = conn.accounts().find(sub.account);
  if (!account || account->claim != claim
      || account->status != account_status::restricted)
    return make_problem(errc::not_restricted);
  auto id = conn.reviews().open(
    claim, sub.account, env.now_ms,
    storage::review_photo{"front", sub.front_type, sub.front_cipher},
    storage::review_photo{"back", sub.back_type, sub.back_cipher});
  if (!id)
    return make_problem(errc::review_already_open);
  state.open_reviews += 1;
  conn.claims().append_event({0, claim, env.now_ms, "review_opened",
                              sub.account, std::nullopt,
                              "case " + std::to_string(*id)});
  tell_holder(conn, state, env, effects);
  return review_opened{*id, env.now_ms};
}

claim_outcome reject_review(storage::connection& conn,
                            storage::claim_id claim, claim_state& state,
                            const review_rejection& rej, const txn_env& env) {
  auto found = conn.reviews().find(rej.case_id);
  if (!found || found->claim != claim)
    return make_problem(errc::not_found);
  if (!conn.reviews().close(rej.case_id, storage::review_state::rejected,
                            rej.staff, rej.reason, env.now_ms))
    return make_problem(errc::case_closed);
  state.open_reviews -= 1;
  conn.inbox().add(found->account, storage::inbox_kind::review_rejected,
                   std::nullopt, rej.case_id, rej.reason, env.now_ms);
  conn.account_changed(found->account);
  conn.claims().append_event({0, claim, env.now_ms, "review_rejected",
                              found->account, rej.staff,
                              "case " + std::to_string(rej.case_id)});
  return true;
}

} // namespace idclaim::actors
