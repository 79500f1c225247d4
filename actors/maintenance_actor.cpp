#include "actors/maintenance_actor.hpp"

#include <caf/actor_system.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <spdlog/spdlog.h>

namespace idclaim::actors {

void run_maintenance(storage::connection& conn, int64_t now_ms,
                     std::chrono::milliseconds photo_retention) {
  for (auto& r : conn.assists().expire_due(now_ms)) {
    conn.inbox().add(r.requester, storage::inbox_kind::assist_ended, r.id,
                     std::nullopt, "expired", now_ms);
    conn.account_changed(r.requester);
    conn.account_changed(r.classmate);
  }
  auto purged = conn.reviews().purge_photos(now_ms - photo_retention.count());
  if (purged > 0)
    spdlog::info("deleted {} review photos past their retention", purged);
  conn.sessions().purge_expired(now_ms);
}

namespace {

maintenance_actor::behavior_type
maintenance_impl(maintenance_actor::pointer self, maintenance_context ctx) {
  self->delayed_send(self, ctx.every, tick_atom_v);
  return {
    [=](tick_atom) {
      auto retention = std::chrono::duration_cast<std::chrono::milliseconds>(
        ctx.photo_retention);
      db_job job{[now = ctx.time->now_ms(), retention](
                   storage::connection& conn) {
        run_maintenance(conn, now, retention);
      }};
      self->request(ctx.db, ctx.storage_timeout, run_atom_v, std::move(job))
        .then([](bool) {},
              [](caf::error&) {
                spdlog::warn("housekeeping failed; it runs again next round");
              });
      self->delayed_send(self, ctx.every, tick_atom_v);
    },
  };
}

} // namespace

maintenance_actor spawn_maintenance_actor(caf::actor_system& sys,
                                          maintenance_context ctx) {
  return sys.spawn(maintenance_impl, std::move(ctx));
}

} // namespace idclaim::actors
