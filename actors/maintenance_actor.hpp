#pragma once

#include <chrono>
#include <memory>

#include <caf/typed_actor.hpp>

#include "actors/db_actor.hpp"
#include "domain/clock.hpp"

namespace idclaim::actors {

/// Periodic housekeeping in storage: stores the expiry of assist requests
/// whose 72 h are up (and tells their requesters), deletes review photos a
/// fixed time after their case ended, and forgets expired sessions. Pages
/// never wait for it: they show a request past its time as expired anyway.
using maintenance_actor = caf::typed_actor<caf::reacts_to<tick_atom>>;

struct maintenance_context {
  db_actor db;
  std::shared_ptr<const clock> time;
  std::chrono::seconds every{60};
  std::chrono::hours photo_retention{30 * 24};
  std::chrono::milliseconds storage_timeout{10000};
};

maintenance_actor spawn_maintenance_actor(caf::actor_system& sys,
                                          maintenance_context ctx);

/// One round of housekeeping at `now_ms` (a storage job; also for tests).
void run_maintenance(storage::connection& conn, int64_t now_ms,
                     std::chrono::milliseconds photo_retention);

} // namespace idclaim::actors
