// The resolution of a claim (SPEC §11): review approval and assist approval
// both end here, so they have exactly the same effect.

#include "actors/claim_transactions.hpp"

#include "domain/notices.hpp"

namespace idclaim::actors {

namespace {

/// The claimant the op names and whether its case/request could close;
/// closing it first is what makes two racing resolutions commit once (I4).
std::variant<account_id, problem>
close_winning_item(storage::connection& conn, storage::claim_id claim,
                   const resolution_request& req, const txn_env& env) {
  if (req.path == resolution_path::review) {
    auto found = conn.reviews().find(req.ref);
    if (!found || found->claim != claim)
      return make_problem(errc::not_found);
    if (!conn.reviews().close(req.ref, storage::review_state::approved,
                              req.actor, "", env.now_ms))
      return make_problem(errc::case_closed);
    return found->account;
  }
  auto found = conn.assists().find(req.ref);
  if (!found || found->claim != claim || found->classmate != req.actor)
    return make_problem(errc::not_found);
  if (!conn.assists().close(req.ref, storage::assist_state::approved,
                            env.now_ms))
    return make_problem(errc::request_closed);
  return found->requester;
}

/// Tells the requester and classmate of requests that ended unanswered.
void tell_ended(storage::connection& conn,
                const std::vector<storage::ended_request>& ended,
                const txn_env& env) {
  for (auto& r : ended) {
    conn.inbox().add(r.requester, storage::inbox_kind::assist_ended, r.id,
                     std::nullopt, "void", env.now_ms);
    conn.account_changed(r.requester);
    conn.account_changed(r.classmate);
  }
}

} // namespace

claim_outcome resolve_claim(storage::connection& conn, storage::claim_id claim,
                            claim_state& state, const resolution_request& req,
                            const txn_env& env) {
  auto closed = close_winning_item(conn, claim, req, env);
  if (auto p = std::get_if<problem>(&closed))
    return *p;
  auto winner = std::get<account_id>(closed);
  auto winner_row = conn.accounts().find(winner);
  if (!winner_row || winner_row->status != account_status::restricted) {
    // Cannot happen while every cancellation voids its cases and requests;
    // refuse rather than resolve for an account that is not a claimant.
    throw std::logic_error("resolution for an account that is not restricted");
  }
  // Cancel first, then activate: I1's index never sees two active accounts.
  std::string reason{domain::cancel_reason_text};
  auto cancelled = conn.accounts().cancel_all_but(claim, winner, reason,
                                                  env.now_ms);
  conn.accounts().activate(winner, env.now_ms);
  conn.reviews().void_open_on_claim(claim, env.now_ms);
  tell_ended(conn, conn.assists().void_pending_on_claim(claim, env.now_ms),
             env);
  for (auto id : cancelled) {
    // A cancelled account cannot help a classmate any more either.
    tell_ended(conn, conn.assists().void_pending_of(id, env.now_ms), env);
    conn.inbox().add(id, storage::inbox_kind::account_cancelled, std::nullopt,
                     std::nullopt, reason, env.now_ms);
    conn.account_changed(id);
  }
  bool by_review = req.path == resolution_path::review;
  conn.inbox().add(winner,
                   by_review ? storage::inbox_kind::review_approved
                             : storage::inbox_kind::claim_resolved,
                   by_review ? std::nullopt : std::optional<int64_t>{req.ref},
                   by_review ? std::optional<int64_t>{req.ref} : std::nullopt,
                   "", env.now_ms);
  conn.account_changed(winner);
  if (!by_review)
    conn.account_changed(req.actor);
  conn.claims().append_event(
    {0, claim, env.now_ms, by_review ? "resolved_by_review" : "resolved_by_assist",
     winner, by_review ? std::optional<int64_t>{req.actor} : std::nullopt,
     (by_review ? "case " : "request ") + std::to_string(req.ref)});
  state = conn.claims().state(claim);
  return resolution_result{winner, cancelled};
}

} // namespace idclaim::actors
