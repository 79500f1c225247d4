#include "actors/worker_priority.hpp"

#include <sched.h>

namespace idclaim::actors {

std::optional<worker_priority> parse_worker_priority(std::string_view text) {
  if (text == "normal")
    return worker_priority::normal;
  if (text == "idle")
    return worker_priority::idle;
  return std::nullopt;
}

bool apply_to_this_thread(worker_priority p) {
  sched_param param{};
  param.sched_priority = 0; // the only value SCHED_OTHER and SCHED_IDLE take
  int policy = p == worker_priority::idle ? SCHED_IDLE : SCHED_OTHER;
  // pid 0: the calling thread (Linux schedules threads, not processes).
  return sched_setscheduler(0, policy, &param) == 0;
}

worker_priority this_thread_priority() {
  return sched_getscheduler(0) == SCHED_IDLE ? worker_priority::idle
                                             : worker_priority::normal;
}

} // namespace idclaim::actors
