#pragma once

#include <variant>

#include "actors/messages.hpp"
#include "actors/txn_env.hpp"
#include "storage/connection.hpp"

namespace idclaim::actors {

/// What an assist attempt's transaction produced.
struct assist_outcome {
  std::variant<assist_sent, problem> result;
  txn_effects effects;
};

/// One assist attempt (SPEC §6), run by the requester's account actor:
/// counts it against the day's quota (matched or not — I3, one conditional
/// upsert), then looks for the classmate: same name and mobile, active,
/// mobile bound, same school + class + enrolment year in the student
/// records. A match becomes a pending request in the classmate's inbox and
/// the holder is told. Every kind of mismatch is the same ASSIST_NO_MATCH,
/// reached through the same work, so the answer tells nothing about which
/// field was wrong or whether a mobile is registered.
assist_outcome run_assist_attempt(storage::connection& conn,
                                  const assist_attempt& attempt,
                                  const txn_env& env);

/// The classmate declines a pending request; REQUEST_CLOSED when it was not
/// pending any more. Tells the requester.
std::variant<bool, problem> decline_assist(storage::connection& conn,
                                           int64_t request, account_id classmate,
                                           int64_t now_ms);

} // namespace idclaim::actors
