#pragma once

#include <chrono>
#include <memory>

#include <caf/typed_actor.hpp>

#include "actors/actor_stats.hpp"
#include "actors/db_actor.hpp"
#include "actors/messages.hpp"
#include "actors/queue_gate.hpp"
#include "actors/sms_actor.hpp"
#include "crypto/blind_index.hpp"
#include "crypto/field_cipher.hpp"
#include "domain/clock.hpp"

namespace idclaim::actors {

/// One actor per account, on demand. It owns what is per account and must
/// be serialised: the daily assist quota (attempts run one at a time, so 20
/// concurrent ones never let a sixth through), and the live connections of
/// the account's sessions, to which it pushes `{"type":"inbox","unread":N}`
/// and `{"type":"account","status":...,"mobile":"138****0000",
/// "mobile_bound":true}` whenever storage says they changed
/// (connection::account_changed). `changed_atom` alone reads the view
/// afresh; with a count it says that only the inbox changed and what its
/// unread count was at the commit (connection::inbox_changed), which is
/// pushed without a storage round trip.
using account_actor = caf::typed_actor<
  caf::replies_to<assist_atom, assist_attempt>::with<assist_sent>,
  caf::reacts_to<join_ws_atom, event_subscriber>,
  caf::reacts_to<leave_ws_atom, uint64_t>,
  caf::reacts_to<changed_atom>, caf::reacts_to<changed_atom, int64_t>,
  caf::reacts_to<close_atom, session_close>,
  caf::reacts_to<idle_atom>, caf::reacts_to<stop_atom>>;

/// What every account actor needs from its surroundings.
struct account_context {
  db_actor db;
  std::shared_ptr<const clock> time;
  std::shared_ptr<const crypto::field_cipher> cipher;
  std::chrono::seconds idle_after{60};
  std::chrono::milliseconds storage_timeout{10000};
  std::chrono::milliseconds assist_ttl{72LL * 3600 * 1000};
  sms_actor sms; ///< may be invalid (tests): SMS are then dropped
  std::size_t max_sockets = 16; ///< live connections per account
  /// Bounds the storage queue; null: unbounded (unit tests).
  std::shared_ptr<queue_gate> db_gate;
  /// Live figures of this kind of actor; null: not kept (unit tests).
  std::shared_ptr<actor_stats> stats;
  /// Recomputes blind indexes during an index-key rotation (see txn_env);
  /// null: stored values are used as they are (unit tests).
  std::shared_ptr<const crypto::blind_index> index;
};

/// Reports "nothing left to do" to the registry with the number of
/// messages handled (see live_actors).
using account_idle_reporter
  = caf::typed_actor<caf::reacts_to<idle_atom, account_id, uint64_t>>;

/// Spawns the account actor of `id`; it counts each message from the
/// registry on `taken` (may be null) for the registry's mailbox figures.
account_actor spawn_account_actor(caf::actor_system& sys, account_id id,
                                  account_context ctx,
                                  account_idle_reporter registry,
                                  taken_counter taken = nullptr);

/// The JSON frames the account actor pushes.
std::shared_ptr<const std::string> inbox_frame(int64_t unread);

/// The account frame: its status and its mobile, masked (never in full) as
/// GET /api/v1/me shows it, with whether it is bound.
std::shared_ptr<const std::string> account_frame(std::string_view status,
                                                 std::string_view masked_mobile,
                                                 bool mobile_bound);

} // namespace idclaim::actors
