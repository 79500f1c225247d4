#pragma once

#include <chrono>

#include <caf/actor.hpp>
#include <caf/typed_actor.hpp>

#include "actors/messages.hpp"
#include "storage/pg_driver.hpp"

namespace idclaim::actors {

/// Hears, through PostgreSQL LISTEN, which accounts other processes changed
/// and tells the sink (the account registry) `changed_atom` with their ids;
/// after every (re)connection it sends `resync_atom`, because notifications
/// sent while the link was down are lost and every live page must reload.
/// It keeps itself running with `tick_atom`; only an exit stops it.
using listener_actor = caf::typed_actor<caf::reacts_to<tick_atom>>;

/// How the listener waits and reconnects.
struct listener_options {
  /// The longest one blocking wait for notifications; also how late an
  /// exit message may be handled.
  std::chrono::milliseconds poll{200};
  /// The wait after a failed connect, doubling up to `max_backoff`.
  std::chrono::milliseconds first_backoff{100};
  std::chrono::milliseconds max_backoff{2000};
};

/// Spawns the listener on its own thread (detached: it blocks on its
/// dedicated connection, never on CAF's scheduler or Asio's threads).
/// `sink` receives `changed_atom, std::vector<int64_t>` and `resync_atom`.
listener_actor spawn_listener_actor(caf::actor_system& sys,
                                    storage::pg_options db, caf::actor sink,
                                    listener_options options = {});

} // namespace idclaim::actors
