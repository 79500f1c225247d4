#pragma once

#include <string>
#include <variant>
#include <vector>

#include "actors/messages.hpp"
#include "storage/connection.hpp"

namespace idclaim::actors {

/// One registration's outcome: the new account or the refusal.
using registration_outcome = std::variant<registration_result, problem>;

/// What one storage round trip of a claim actor produced.
struct claim_batch_result {
  std::vector<registration_outcome> outcomes; ///< one per registration
  claim_state state;                          ///< the claim afterwards
};

/// Decides and stores a claim's queued registrations, in order, inside the
/// storage transaction. The decision re-reads the claim inside the
/// transaction (PostgreSQL locks its row), so the storage constraints and
/// this function together keep I1 across processes. With no registrations it
/// only loads the claim's state.
claim_batch_result run_claim_batch(storage::connection& conn,
                                   const std::string& claim_key,
                                   const std::vector<registration>& regs,
                                   int64_t now_ms);

} // namespace idclaim::actors
