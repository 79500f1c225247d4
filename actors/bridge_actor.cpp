#include "actors/bridge_actor.hpp"

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/send.hpp>

namespace idclaim::actors {

namespace {

// The unused index is a workaround: CAF 0.17.6 spawns a function that takes
// no arguments besides `self` through a null std::shared_ptr<std::tuple<>>
// that it dereferences (caf/detail/init_fun_factory.hpp), which UBSan
// reports as a reference bound to a null pointer.
caf::behavior bridge_impl(caf::event_based_actor* self, std::size_t) {
  return {
    [=](run_atom, bridge_task& task) { task.run(self); },
  };
}

} // namespace

bridge::bridge(caf::actor_system& sys, std::size_t count) {
  for (std::size_t i = 0; i < std::max<std::size_t>(1, count); ++i)
    actors_.push_back(sys.spawn(bridge_impl, i));
}

void bridge::run(std::function<void(caf::event_based_actor*)> task) {
  auto i = next_.fetch_add(1, std::memory_order_relaxed) % actors_.size();
  caf::anon_send(actors_[i], run_atom_v, bridge_task{std::move(task)});
}

void bridge::stop() {
  for (auto& a : actors_)
    caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
}

} // namespace idclaim::actors
