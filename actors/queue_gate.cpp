#include "actors/queue_gate.hpp"

namespace idclaim::actors {

std::shared_ptr<queue_gate> queue_gate::make(std::size_t limit,
                                             wait_slots::clock_fn now) {
  return std::shared_ptr<queue_gate>{new queue_gate{limit, std::move(now)}};
}

queue_gate::pass queue_gate::try_enter() {
  auto before = depth_.fetch_add(1, std::memory_order_relaxed);
  if (before >= limit_) {
    leave();
    rejected_.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  }
  // The pass keeps the gate alive, so it may outlive whoever made it.
  auto self = shared_from_this();
  auto slot = slots_.take();
  return pass{static_cast<const void*>(self.get()), [self, slot](const void*) {
                self->slots_.give_back(slot);
                self->leave();
              }};
}

} // namespace idclaim::actors
