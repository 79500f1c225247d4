#include "actors/listener_actor.hpp"

#include <algorithm>
#include <memory>

#include <caf/actor_system.hpp>
#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <spdlog/spdlog.h>

#include "storage/pg_listener.hpp"
#include "storage/storage_error.hpp"

namespace idclaim::actors {

namespace {

struct listener_state {
  std::unique_ptr<storage::pg_listener> link;
  std::chrono::milliseconds backoff{0};
  bool lost_logged = false;
  static inline const char* name = "listener";
};

using listener_pointer = listener_actor::stateful_pointer<listener_state>;

/// Connects; on success tells the sink to resync, else schedules a retry.
void reconnect(listener_pointer self, const caf::actor& sink,
               const listener_options& options) {
  auto& st = self->state;
  try {
    st.link->connect();
  } catch (const storage::storage_error& e) {
    if (!st.lost_logged)
      spdlog::warn("change listener cannot reach the database, retrying: {}",
                   e.what());
    st.lost_logged = true;
    st.backoff
      = std::clamp(st.backoff * 2, options.first_backoff, options.max_backoff);
    self->delayed_send(self, st.backoff, tick_atom_v);
    return;
  }
  if (st.lost_logged)
    spdlog::info("change listener reconnected; live pages reload");
  st.lost_logged = false;
  st.backoff = std::chrono::milliseconds{0};
  caf::anon_send(sink, resync_atom_v);
  self->send(self, tick_atom_v);
}

/// One bounded wait for notifications, forwarded to the sink.
void listen_once(listener_pointer self, const caf::actor& sink,
                 const listener_options& options) {
  auto& st = self->state;
  try {
    auto ids = st.link->wait(options.poll);
    if (!ids.empty())
      caf::anon_send(sink, changed_atom_v, std::move(ids));
    self->send(self, tick_atom_v);
  } catch (const storage::storage_error& e) {
    spdlog::warn("change listener lost the database, reconnecting: {}",
                 e.what());
    st.lost_logged = true;
    st.backoff = options.first_backoff;
    self->delayed_send(self, st.backoff, tick_atom_v);
  }
}

listener_actor::behavior_type listener_impl(listener_pointer self,
                                            storage::pg_options db,
                                            caf::actor sink,
                                            listener_options options) {
  self->state.link = std::make_unique<storage::pg_listener>(std::move(db));
  self->send(self, tick_atom_v);
  return {
    [=](tick_atom) {
      if (self->state.link->connected())
        listen_once(self, sink, options);
      else
        reconnect(self, sink, options);
    },
  };
}

} // namespace

listener_actor spawn_listener_actor(caf::actor_system& sys,
                                    storage::pg_options db, caf::actor sink,
                                    listener_options options) {
  return sys.spawn<caf::detached>(listener_impl, std::move(db), std::move(sink),
                                  options);
}

} // namespace idclaim::actors
