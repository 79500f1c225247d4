#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <caf/typed_actor.hpp>

#include "actors/actor_stats.hpp"
#include "actors/db_actor.hpp"
#include "actors/messages.hpp"
#include "actors/queue_gate.hpp"
#include "actors/sms_actor.hpp"
#include "crypto/field_cipher.hpp"
#include "domain/clock.hpp"

namespace idclaim::actors {

/// One actor per claim (normalised ID number's blind index). It serialises
/// every decision about that ID inside this process — registrations,
/// opening a review, resolving or rejecting — and keeps the claim's state
/// cached, so refusals need no storage round trip and ops waiting behind a
/// storage write go to storage together.
using claim_actor = caf::typed_actor<
  caf::replies_to<register_atom, registration>::with<registration_result>,
  caf::replies_to<check_atom, std::string>::with<claim_check>,
  caf::replies_to<review_atom, review_submission>::with<review_opened>,
  caf::replies_to<settle_atom, resolution_request>::with<resolution_result>,
  caf::replies_to<reject_atom, review_rejection>::with<bool>,
  /// The registry's idle probe (see claim_registry): the actor answers
  /// with its idle report unless storage work is pending.
  caf::reacts_to<idle_atom>, caf::reacts_to<stop_atom>>;

/// What every claim actor needs from its surroundings.
struct claim_context {
  db_actor db;
  std::shared_ptr<const clock> time;
  /// How long a claim actor may see no message before its registry stops
  /// it.
  std::chrono::seconds idle_after{60};
  std::chrono::milliseconds storage_timeout{10000};
  std::shared_ptr<const crypto::field_cipher> cipher;
  sms_actor sms; ///< may be invalid (tests): SMS are then dropped
  /// Whether this process alone writes the database: then the cached state
  /// may answer refusals. With several processes it may be stale, and
  /// every decision is taken in storage.
  bool trust_cache = true;
  /// Bounds the storage queue; null: unbounded (unit tests).
  std::shared_ptr<queue_gate> db_gate;
  /// Live figures of this kind of actor; null: not kept (unit tests).
  std::shared_ptr<actor_stats> stats;
};

/// Reports "nothing left to do" to whoever spawned the claim actor (its
/// registry), with the number of messages it handled so far.
using idle_reporter
  = caf::typed_actor<caf::reacts_to<idle_atom, std::string, uint64_t>>;

/// Spawns the claim actor of `claim_key`; it counts each message from the
/// registry on `taken` (may be null) for the registry's mailbox figures.
/// `ctx` is shared by every claim actor of one registry.
claim_actor spawn_claim_actor(caf::actor_system& sys, std::string claim_key,
                              std::shared_ptr<const claim_context> ctx,
                              idle_reporter registry,
                              taken_counter taken = nullptr);

} // namespace idclaim::actors
