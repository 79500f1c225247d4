#include "actors/claim_registry.hpp"

#include <unordered_map>

#include <caf/actor_system.hpp>
#include <caf/typed_event_based_actor.hpp>

namespace idclaim::actors {

namespace {

struct entry {
  claim_actor actor;
  uint64_t forwarded = 0;
};

struct registry_state {
  claim_context ctx;
  std::unordered_map<std::string, entry> claims;
  static inline const char* name = "claim_registry";
};

using registry_pointer = claim_registry::stateful_pointer<registry_state>;

/// The live actor for `key`, started on first use; counts the message about
/// to be forwarded.
claim_actor& claim_for(registry_pointer self, const std::string& key) {
  auto& claims = self->state.claims;
  auto i = claims.find(key);
  if (i == claims.end()) {
    auto reporter = caf::actor_cast<idle_reporter>(self);
    auto hdl = spawn_claim_actor(self->system(), key, self->state.ctx,
                                 reporter);
    // Linked, so that stopping the registry stops every claim actor.
    self->link_to(hdl);
    i = claims.emplace(key, entry{std::move(hdl), 0}).first;
  }
  i->second.forwarded += 1;
  return i->second.actor;
}

claim_registry::behavior_type
registry_impl(registry_pointer self, claim_context ctx) {
  self->state.ctx = std::move(ctx);
  return {
    [=](register_atom, registration& reg) {
      auto& claim = claim_for(self, reg.claim_key);
      return self->delegate(claim, register_atom_v, std::move(reg));
    },
    [=](check_atom, const std::string& key) {
      return self->delegate(claim_for(self, key), check_atom_v);
    },
    [=](count_atom) {
      return static_cast<uint64_t>(self->state.claims.size());
    },
    [=](idle_atom, const std::string& key, uint64_t handled) {
      auto& claims = self->state.claims;
      auto i = claims.find(key);
      // A message forwarded after the actor reported idle makes the counts
      // differ; the actor then handles it and reports again later.
      if (i == claims.end() || i->second.forwarded != handled)
        return;
      self->send(i->second.actor, stop_atom_v);
      claims.erase(i);
    },
  };
}

} // namespace

claim_registry spawn_claim_registry(caf::actor_system& sys,
                                    claim_context ctx) {
  return sys.spawn(registry_impl, std::move(ctx));
}

} // namespace idclaim::actors
