#include "actors/claim_registry.hpp"

#include <caf/actor_system.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/live_actors.hpp"
#include "actors/restart_on_failure.hpp"

namespace idclaim::actors {

namespace {

struct registry_state {
  std::shared_ptr<const claim_context> ctx;
  live_actors<std::string, claim_actor> claims;
  bool tick_armed = false; ///< whether the idle probe's timer is set
  static inline const char* name = "claim_registry";

  registry_state() = default;
  registry_state(const registry_state&) = delete;
  registry_state& operator=(const registry_state&) = delete;
  ~registry_state() { stop_all(claims); }
};

using registry_pointer = claim_registry::stateful_pointer<registry_state>;

/// How often the registry probes the claim actors that became quiet. Every
/// second, not every `idle_after`: each tick then probes about the actors
/// that fell quiet in one second, as their own timers would have, instead
/// of every actor started in a minute at once (with 500,000 of them, a
/// burst that held the registry, and every registration behind it, for
/// most of a minute).
constexpr std::chrono::seconds probe_every{1};

/// Sets the idle probe's timer unless it is set. It runs only while claim
/// actors live, so an idle registry does nothing.
void arm_tick(registry_pointer self) {
  if (self->state.tick_armed)
    return;
  self->state.tick_armed = true;
  self->delayed_send(self, probe_every, tick_atom_v);
}

/// The live actor for `key`, started on first use and watched (see
/// restart_on_failure.hpp).
claim_actor& claim_for(registry_pointer self, const std::string& key) {
  auto spawn = [self](const std::string& k, taken_counter taken) {
    auto hdl = spawn_claim_actor(self->system(), k, self->state.ctx,
                                 caf::actor_cast<idle_reporter>(self),
                                 std::move(taken));
    watch(self, hdl);
    return hdl;
  };
  // The actor clock, not the wall clock: steady, and tests can move it.
  auto& claim = self->state.claims.forward_to(key, self->clock().now(), spawn);
  arm_tick(self);
  return claim;
}

/// Asks every claim actor that has seen no message for `idle_after`
/// whether it is idle. One timer here instead of one per claim actor keeps
/// an idle actor small; an actor stops about `idle_after` after its last
/// message (at most one tick later).
void probe_quiet_claims(registry_pointer self) {
  auto idle_after = self->state.ctx->idle_after;
  auto cutoff = self->clock().now() - idle_after;
  self->state.claims.for_each_quiet_since(
    cutoff, [self](const std::string&, const claim_actor& claim) {
      self->send(claim, idle_atom_v);
    });
  self->state.tick_armed = false;
  if (self->state.claims.size() > 0)
    arm_tick(self);
}

claim_registry::behavior_type registry_impl(registry_pointer self,
                                            claim_context ctx) {
  self->state.ctx = std::make_shared<const claim_context>(std::move(ctx));
  self->state.claims.set_stats(self->state.ctx->stats.get());
  restart_on_failure(self, self->state.claims, "claim");
  return {
    [=](register_atom, registration& reg) {
      auto& claim = claim_for(self, reg.claim_key);
      return self->delegate(claim, register_atom_v, std::move(reg));
    },
    [=](check_atom, const std::string& key, std::string& other) {
      return self->delegate(claim_for(self, key), check_atom_v,
                            std::move(other));
    },
    [=](review_atom, review_submission& sub) {
      auto& claim = claim_for(self, sub.claim_key);
      return self->delegate(claim, review_atom_v, std::move(sub));
    },
    [=](settle_atom, resolution_request& req) {
      auto& claim = claim_for(self, req.claim_key);
      return self->delegate(claim, settle_atom_v, std::move(req));
    },
    [=](reject_atom, review_rejection& rej) {
      auto& claim = claim_for(self, rej.claim_key);
      return self->delegate(claim, reject_atom_v, std::move(rej));
    },
    [=](count_atom) {
      return static_cast<uint64_t>(self->state.claims.size());
    },
    [=](health_atom) {
      self->state.claims.health(self->clock().now());
      return true;
    },
    [=](tick_atom) { probe_quiet_claims(self); },
    [=](idle_atom, const std::string& key, uint64_t handled) {
      // A message forwarded after the actor reported idle makes the counts
      // differ; the actor then handles it and reports again later.
      if (auto actor = self->state.claims.on_idle(key, handled)) {
        unwatch(self, *actor);
        self->send(*actor, stop_atom_v);
      }
    },
  };
}

} // namespace

claim_registry spawn_claim_registry(caf::actor_system& sys, claim_context ctx) {
  return sys.spawn(registry_impl, std::move(ctx));
}

} // namespace idclaim::actors
