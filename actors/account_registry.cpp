#include "actors/account_registry.hpp"

#include <caf/actor_system.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/live_actors.hpp"
#include "actors/restart_on_failure.hpp"

namespace idclaim::actors {

namespace {

struct registry_state {
  account_context ctx;
  live_actors<account_id, account_actor> accounts;
  static inline const char* name = "account_registry";

  registry_state() = default;
  registry_state(const registry_state&) = delete;
  registry_state& operator=(const registry_state&) = delete;
  ~registry_state() { stop_all(accounts); }
};

using registry_pointer = account_registry::stateful_pointer<registry_state>;

account_actor& account_for(registry_pointer self, account_id id) {
  auto spawn = [self](account_id key, taken_counter taken) {
    auto hdl = spawn_account_actor(self->system(), key, self->state.ctx,
                                   caf::actor_cast<account_idle_reporter>(self),
                                   std::move(taken));
    watch(self, hdl);
    return hdl;
  };
  return self->state.accounts.forward_to(id, self->clock().now(), spawn);
}

account_registry::behavior_type registry_impl(registry_pointer self,
                                              account_context ctx) {
  self->state.ctx = std::move(ctx);
  self->state.accounts.set_stats(self->state.ctx.stats.get());
  restart_on_failure(self, self->state.accounts, "account");
  return {
    [=](assist_atom, assist_attempt& attempt) {
      auto& actor = account_for(self, attempt.requester);
      return self->delegate(actor, assist_atom_v, std::move(attempt));
    },
    [=](join_ws_atom, account_id id, event_subscriber& s) {
      self->send(account_for(self, id), join_ws_atom_v, std::move(s));
    },
    [=](leave_ws_atom, account_id id, uint64_t sid) {
      if (auto* actor
          = self->state.accounts.forward_if_live(id, self->clock().now()))
        self->send(*actor, leave_ws_atom_v, sid);
    },
    [=](changed_atom, const std::vector<int64_t>& ids) {
      for (auto id : ids)
        if (auto* actor
            = self->state.accounts.forward_if_live(id, self->clock().now()))
          self->send(*actor, changed_atom_v);
    },
    [=](changed_atom, const std::vector<int64_t>& ids,
        const std::vector<int64_t>& unread) {
      for (std::size_t i = 0; i < ids.size(); ++i)
        if (auto* actor
            = self->state.accounts.forward_if_live(ids[i], self->clock().now())) {
          if (i < unread.size() && unread[i] >= 0)
            self->send(*actor, changed_atom_v, unread[i]);
          else
            self->send(*actor, changed_atom_v);
        }
    },
    [=](resync_atom) {
      // The link to the other processes was down: anything may have
      // changed, so every live page reloads.
      self->state.accounts.forward_to_all(self->clock().now(),
                                          [self](account_id, account_actor& a) {
                                            self->send(a, changed_atom_v);
                                          });
    },
    [=](close_atom, account_id id, const session_close& which) {
      if (auto* actor
          = self->state.accounts.forward_if_live(id, self->clock().now()))
        self->send(*actor, close_atom_v, which);
    },
    [=](count_atom) {
      return static_cast<uint64_t>(self->state.accounts.size());
    },
    [=](health_atom) {
      self->state.accounts.health(self->clock().now());
      return true;
    },
    [=](idle_atom, account_id id, uint64_t handled) {
      if (auto actor = self->state.accounts.on_idle(id, handled)) {
        unwatch(self, *actor);
        self->send(*actor, stop_atom_v);
      }
    },
  };
}

} // namespace

account_registry spawn_account_registry(caf::actor_system& sys,
                                        account_context ctx) {
  return sys.spawn(registry_impl, std::move(ctx));
}

} // namespace idclaim::actors
