#pragma once

#include <caf/typed_actor.hpp>

#include "actors/account_actor.hpp"

namespace idclaim::actors {

/// Finds or starts the account actor of an account and forwards work to it
/// (the same idle protocol as the claim registry). It is also where
/// "these accounts changed" arrives — from the storage actor after a commit,
/// and from other processes through the database — and passes it on only to
/// accounts that are live here: nobody else has a page to update.
using account_registry = caf::typed_actor<
  caf::replies_to<assist_atom, assist_attempt>::with<assist_sent>,
  caf::reacts_to<join_ws_atom, account_id, event_subscriber>,
  caf::reacts_to<leave_ws_atom, account_id, uint64_t>,
  caf::reacts_to<changed_atom, std::vector<int64_t>>,
  /// The same with the unread count of each account as committed, or -1
  /// where a fresh read is needed (from the SQLite writer: change_sink).
  caf::reacts_to<changed_atom, std::vector<int64_t>, std::vector<int64_t>>,
  caf::reacts_to<resync_atom>,
  caf::reacts_to<close_atom, account_id, session_close>,
  caf::replies_to<count_atom>::with<uint64_t>,
  /// Looks at every live actor's mailbox and stores the deepest one and the
  /// longest wait in the context's actor_stats (see live_actors::health).
  caf::replies_to<health_atom>::with<bool>,
  caf::reacts_to<idle_atom, account_id, uint64_t>>;

account_registry spawn_account_registry(caf::actor_system& sys,
                                        account_context ctx);

} // namespace idclaim::actors
