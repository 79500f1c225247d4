#pragma once

#include <caf/typed_actor.hpp>

#include "actors/claim_actor.hpp"

namespace idclaim::actors {

/// Finds or starts the claim actor of an ID and forwards work to it. Claim
/// actors stop when idle; the registry removes one only when it has handled
/// every message forwarded to it, so two actors never serve one claim.
using claim_registry = caf::typed_actor<
  caf::replies_to<register_atom, registration>::with<registration_result>,
  caf::replies_to<check_atom, std::string, std::string>::with<claim_check>,
  caf::replies_to<review_atom, review_submission>::with<review_opened>,
  caf::replies_to<settle_atom, resolution_request>::with<resolution_result>,
  caf::replies_to<reject_atom, review_rejection>::with<bool>,
  caf::replies_to<count_atom>::with<uint64_t>,
  /// Looks at every live actor's mailbox and stores the deepest one and the
  /// longest wait in the context's actor_stats (see live_actors::health).
  caf::replies_to<health_atom>::with<bool>,
  caf::reacts_to<idle_atom, std::string, uint64_t>,
  /// Its own timer: probes the claim actors that have been quiet.
  caf::reacts_to<tick_atom>>;

/// Spawns the registry; claim actors it starts get `ctx`.
claim_registry spawn_claim_registry(caf::actor_system& sys, claim_context ctx);

} // namespace idclaim::actors
