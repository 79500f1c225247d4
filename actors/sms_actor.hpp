#pragma once

#include <memory>

#include <caf/typed_actor.hpp>

#include "actors/messages.hpp"
#include "actors/sms_gateway.hpp"

namespace idclaim::actors {

/// Sends SMS through a gateway on its own thread (gateways block: files,
/// network). Messages are sent in order; a failure is logged, never
/// retried forever.
using sms_actor = caf::typed_actor<
  caf::reacts_to<sms_atom, std::vector<sms_message>>,
  caf::reacts_to<stop_atom>>;

/// Spawns the SMS actor (detached) owning `gateway`.
sms_actor spawn_sms_actor(caf::actor_system& sys,
                          std::shared_ptr<sms_gateway> gateway);

} // namespace idclaim::actors
