#include "actors/sms_actor.hpp"

#include <caf/actor_system.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <spdlog/spdlog.h>

namespace idclaim::actors {

namespace {

sms_actor::behavior_type sms_impl(sms_actor::pointer self,
                                  std::shared_ptr<sms_gateway> gateway) {
  return {
    [self](stop_atom) { self->quit(); },
    [gateway](sms_atom, const std::vector<sms_message>& batch) {
      for (auto& msg : batch) {
        try {
          gateway->send(msg);
        } catch (const std::exception& e) {
          // The text and the number are personal data: log neither.
          spdlog::error("SMS not sent: {}", e.what());
        }
      }
    },
  };
}

} // namespace

sms_actor spawn_sms_actor(caf::actor_system& sys,
                          std::shared_ptr<sms_gateway> gateway) {
  return sys.spawn<caf::detached>(sms_impl, std::move(gateway));
}

} // namespace idclaim::actors
