#include "actors/cpu_pool.hpp"

#include <caf/actor_system.hpp>
#include <caf/exit_reason.hpp>
#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>

namespace idclaim::actors {

namespace {

cpu_worker::behavior_type cpu_impl(cpu_worker::pointer,
                                     crypto::hash_cost cost) {
  return {
    [=](run_atom, const std::string& password) {
      return crypto::hash_password(password, cost);
    },
    [=](check_atom, const std::string& stored, const std::string& password) {
      // An empty stored hash means "no such user": spend the same time so
      // that the answer does not tell which of the two was wrong.
      if (stored.empty()) {
        crypto::burn_verify_time(cost);
        return false;
      }
      return crypto::verify_password(stored, password);
    },
    [](run_atom, cpu_task& task) {
      task.work();
      return true;
    },
  };
}

} // namespace

cpu_pool::cpu_pool(caf::actor_system& sys, std::size_t threads,
                     crypto::hash_cost cost, std::size_t queue_limit)
  : limit_(queue_limit), cost_(cost) {
  for (std::size_t i = 0; i < std::max<std::size_t>(1, threads); ++i)
    workers_.push_back(sys.spawn<caf::detached>(cpu_impl, cost));
}

bool cpu_pool::try_reserve() {
  auto n = outstanding_.fetch_add(1);
  if (n >= limit_) {
    outstanding_.fetch_sub(1);
    rejected_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  return true;
}

void cpu_pool::release() {
  outstanding_.fetch_sub(1);
}

cpu_worker cpu_pool::next() {
  return workers_[next_.fetch_add(1, std::memory_order_relaxed)
                  % workers_.size()];
}

void cpu_pool::stop() {
  for (auto& w : workers_)
    caf::anon_send_exit(w, caf::exit_reason::user_shutdown);
}

} // namespace idclaim::actors
