#include "actors/cpu_pool.hpp"

#include <caf/actor_system.hpp>
#include <caf/exit_reason.hpp>
#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <spdlog/spdlog.h>

namespace idclaim::actors {

namespace {

using task_clock = std::chrono::steady_clock;
using task_time = std::shared_ptr<std::atomic<std::int64_t>>;

/// Folds one task's duration into the pool's moving average (weight 1/8).
/// Workers race on it harmlessly: it is an estimate, not a count.
void record(const task_time& avg, task_clock::time_point start) {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(
              task_clock::now() - start)
              .count();
  auto old = avg->load(std::memory_order_relaxed);
  avg->store(old == 0 ? us : old + (us - old) / 8, std::memory_order_relaxed);
}

cpu_worker::behavior_type cpu_impl(cpu_worker::pointer, crypto::hash_cost cost,
                                   task_time avg, worker_priority priority) {
  // A detached actor's behaviour is made on its own thread, so this sets
  // the policy of the thread that runs every task below.
  if (priority != worker_priority::normal && !apply_to_this_thread(priority))
    spdlog::warn("the kernel refused the hash threads' priority; they run "
                 "at normal priority");
  // This worker's hashing memory, kept from one hash to the next.
  auto workspace = std::make_shared<crypto::argon2_workspace>();
  return {
    [=](run_atom, const std::string& password) {
      auto start = task_clock::now();
      auto hash = crypto::hash_password(password, cost, *workspace);
      record(avg, start);
      return hash;
    },
    [=](check_atom, const std::string& stored, const std::string& password) {
      auto start = task_clock::now();
      // An empty stored hash means "no such user": spend the same time so
      // that the answer does not tell which of the two was wrong.
      bool ok = false;
      if (stored.empty())
        crypto::burn_verify_time(cost);
      else
        ok = crypto::verify_password(stored, password);
      record(avg, start);
      return ok;
    },
    [=](run_atom, cpu_task& task) {
      auto start = task_clock::now();
      task.work();
      record(avg, start);
      return true;
    },
  };
}

} // namespace

cpu_pool::cpu_pool(caf::actor_system& sys, std::size_t threads,
                   crypto::hash_cost cost, std::size_t queue_limit,
                   std::chrono::milliseconds wait_budget,
                   wait_slots::clock_fn now, worker_priority priority)
  : wait_budget_(wait_budget), limit_(queue_limit), cost_(cost),
    since_(queue_limit, std::move(now)) {
  for (std::size_t i = 0; i < std::max<std::size_t>(1, threads); ++i)
    workers_.push_back(
      sys.spawn<caf::detached>(cpu_impl, cost, task_us_, priority));
}

cpu_pool::reservation cpu_pool::try_reserve() {
  auto n = outstanding_.fetch_add(1);
  // Waiting behind n tasks on the workers takes about n * task / workers.
  auto task_us = task_us_->load(std::memory_order_relaxed);
  auto wait_us = static_cast<std::int64_t>(n + 1) * task_us
                 / static_cast<std::int64_t>(workers_.size());
  bool too_slow = wait_budget_.count() > 0 && task_us > 0
                  && wait_us > wait_budget_.count() * 1000;
  if (n >= limit_ || too_slow) {
    outstanding_.fetch_sub(1);
    rejected_.fetch_add(1, std::memory_order_relaxed);
    return {};
  }
  return {true, since_.take()};
}

void cpu_pool::release(reservation r) {
  since_.give_back(r.slot);
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
