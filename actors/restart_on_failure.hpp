#pragma once

#include <caf/exit_reason.hpp>
#include <caf/scheduled_actor.hpp>
#include <caf/send.hpp>
#include <spdlog/spdlog.h>

namespace idclaim::actors {

/// How a registry watches the on-demand actors it starts (claims, accounts).
///
/// It monitors them rather than links to them. CAF 0.17 keeps an actor's
/// links and monitors in one list on the actor that holds them, and every
/// unlink walks that list: linked to 10^5 live claim actors, the claim
/// registry spent most of a minute in unlinks when they went idle (found
/// filling 10^6 accounts), and every registration waited behind it. A
/// monitor puts its entry on the watched actor's own short list instead.
///
/// What links also did, stopping the actors with their registry, the
/// registry's state does as it is destroyed (stop_all below).

/// Starts watching `actor`, just started by `self`.
template <class Self, class Handle>
void watch(Self* self, const Handle& actor) {
  self->monitor(actor);
}

/// Stops watching `actor`, which `self` is about to stop.
template <class Self, class Handle>
void unwatch(Self* self, const Handle& actor) {
  self->demonitor(actor.address());
}

/// Makes a registry outlive its actors: one that ends on its own is
/// forgotten from `live` (the next message for its key starts a fresh one),
/// so one failure never takes the registry and every other live actor down.
template <class Self, class Live>
void restart_on_failure(Self* self, Live& live, const char* kind) {
  self->set_down_handler([&live, kind](caf::down_msg& msg) {
    bool failed = msg.reason != caf::exit_reason::normal;
    auto is_it
      = [&](const auto& actor) { return actor.address() == msg.source; };
    if (live.forget_ended(is_it, failed) && failed)
      spdlog::error("a {} actor failed: {}; the next message restarts it",
                    kind, caf::to_string(msg.reason));
  });
}

/// Stops every actor still in `live`; a registry's state calls it from its
/// destructor, so a registry that ends, for whatever reason, takes its
/// actors with it.
template <class Live>
void stop_all(Live& live) {
  live.for_each_actor([](const auto& actor) {
    caf::anon_send_exit(actor, caf::exit_reason::user_shutdown);
  });
}

} // namespace idclaim::actors
