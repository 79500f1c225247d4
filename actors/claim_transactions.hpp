#pragma once

#include <string>
#include <variant>
#include <vector>

#include "actors/messages.hpp"
#include "actors/txn_env.hpp"
#include "storage/connection.hpp"

namespace idclaim::actors {

/// Everything that decides something about one claim, serialised by its
/// claim actor: registrations, opening a review case, the resolution of
/// the claim (by review or by assist: one path), rejecting a review.
using claim_op = std::variant<registration, review_submission,
                              resolution_request, review_rejection>;

/// The blind-index values a claim may be stored under: `current` (the
/// claim actor's key) and, during an index-key rotation, `other` (empty
/// otherwise; see docs/key-rotation.md).
struct claim_keys {
  std::string current;
  std::string other;
};

/// The outcome of one op: its answer or the refusal.
using claim_outcome = std::variant<registration_result, review_opened,
                                   resolution_result, bool, problem>;

/// What one storage round trip of a claim actor produced.
struct claim_batch_result {
  std::vector<claim_outcome> outcomes; ///< one per op, in order
  claim_state state;                   ///< the claim afterwards
  txn_effects effects;
};

/// Runs a claim's queued ops, in order, inside one storage transaction that
/// first locks the claim row (PostgreSQL), so the decisions and the
/// storage constraints together keep I1 and I4 across processes. With no
/// ops it only loads the claim's state.
///
/// A registration looks the claim up under both `keys` before it creates
/// one under `keys.current`, so one ID never gets two claim rows during an
/// index-key rotation; a claim found under `keys.other` is used as it is
/// (the reindex sweep moves it).
claim_batch_result run_claim_ops(storage::connection& conn,
                                 const claim_keys& keys,
                                 const std::vector<claim_op>& ops,
                                 const txn_env& env);

/// The same with only the current key (no rotation going on).
claim_batch_result run_claim_ops(storage::connection& conn,
                                 const std::string& claim_key,
                                 const std::vector<claim_op>& ops,
                                 const txn_env& env);

// -- the ops, one per file (claim_transactions.cpp, review_transactions.cpp,
//    resolution.cpp); each runs with the claim locked and keeps `state` --

/// Decides and inserts one account (SPEC §4).
claim_outcome register_account(storage::connection& conn,
                               storage::claim_id claim, claim_state& state,
                               const registration& reg, const txn_env& env,
                               txn_effects& effects);

/// Opens a review case for a restricted claimant (SPEC §5).
claim_outcome open_review(storage::connection& conn, storage::claim_id claim,
                          claim_state& state, const review_submission& sub,
                          const txn_env& env, txn_effects& effects);

/// Rejects an open case with a reason.
claim_outcome reject_review(storage::connection& conn,
                            storage::claim_id claim, claim_state& state,
                            const review_rejection& rej, const txn_env& env);

/// Resolves the claim in favour of a case's or request's claimant: the one
/// code path of review approval and assist approval (SPEC §11).
claim_outcome resolve_claim(storage::connection& conn, storage::claim_id claim,
                            claim_state& state, const resolution_request& req,
                            const txn_env& env);

/// Tells the holder of `claim` that someone claims it: an inbox item, and
/// an SMS to the holder's bound mobile.
void tell_holder(storage::connection& conn, const claim_state& state,
                 const txn_env& env, txn_effects& effects);

} // namespace idclaim::actors
