#pragma once

#include <caf/exit_reason.hpp>
#include <caf/scheduled_actor.hpp>
#include <spdlog/spdlog.h>

namespace idclaim::actors {

/// Makes a registry outlive the on-demand actors it links to: one that ends
/// on its own is forgotten from `live` (the next message for its key starts
/// a fresh one), so one failure never takes the registry and every other
/// live actor down. An exit from anyone else stops the registry.
template <class Self, class Live>
void restart_on_failure(Self* self, Live& live, const char* kind) {
  self->set_exit_handler([self, &live, kind](caf::exit_msg& msg) {
    bool failed = msg.reason != caf::exit_reason::normal;
    auto is_it
      = [&](const auto& actor) { return actor.address() == msg.source; };
    if (live.forget_ended(is_it, failed)) {
      if (failed)
        spdlog::error("a {} actor failed: {}; the next message restarts it",
                      kind, caf::to_string(msg.reason));
      return;
    }
    self->quit(msg.reason);
  });
}

} // namespace idclaim::actors
