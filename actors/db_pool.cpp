#include "actors/db_pool.hpp"

#include <algorithm>
#include <deque>
#include <random>
#include <thread>

#include <caf/actor_system.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>
#include <spdlog/spdlog.h>

#include "storage/storage_error.hpp"

namespace idclaim::actors {

std::chrono::milliseconds retry_policy::backoff(int attempt) const {
  auto wait = first_backoff;
  for (int i = 1; i < attempt && wait < max_backoff; ++i)
    wait *= 2;
  return std::min(wait, max_backoff);
}

namespace {

// -- worker
// ----------------------------------------------------------------------

struct db_worker_state {
  std::unique_ptr<storage::connection> conn;
  retry_policy retry;
  change_sink sink;
  std::minstd_rand jitter{std::random_device{}()};
  static inline const char* name = "db-worker";
};

using worker_pointer = db_actor::stateful_pointer<db_worker_state>;

void rollback_quietly(storage::connection& conn) {
  try {
    conn.rollback();
  } catch (const std::exception&) {
    // A broken connection: the server rolled back, the next try reconnects.
  }
}

/// Sleeps before the next try. The worker is detached, so this blocks only
/// its own thread, and the dispatcher sends it nothing meanwhile.
void back_off(db_worker_state& st, int attempt) {
  auto wait = st.retry.backoff(attempt);
  std::uniform_int_distribution<long> half(0, wait.count() / 2);
  std::this_thread::sleep_for(wait
                              - std::chrono::milliseconds{half(st.jitter)});
}

/// Runs `job` as one transaction, again while the database aborts it for a
/// reason that may pass. Returns whether it committed; then `changed` holds
/// the accounts the committed try changed.
bool run_with_retries(db_worker_state& st, db_job& job,
                      std::vector<account_id>& changed) {
  auto& conn = *st.conn;
  for (int attempt = 1;; ++attempt) {
    // What a failed try recorded never happened.
    conn.take_changed();
    try {
      conn.begin();
      job.work(conn);
      conn.commit();
    } catch (const storage::storage_error& e) {
      rollback_quietly(conn);
      if (!e.retryable() || attempt >= st.retry.tries) {
        spdlog::error("storage job failed after {} tries: {}", attempt,
                      e.what());
        return false;
      }
      spdlog::debug("storage job aborted, retrying: {}", e.what());
      back_off(st, attempt);
      continue;
    } catch (const std::exception& e) {
      rollback_quietly(conn);
      spdlog::error("storage job failed: {}", e.what());
      return false;
    }
    changed = conn.take_changed();
    return true;
  }
}

db_actor::behavior_type worker_impl(worker_pointer self,
                                    std::shared_ptr<storage::database> db,
                                    retry_policy retry) {
  auto& st = self->state;
  // The connection reaches the server on its first statement, so a server
  // that is down fails (and retries) jobs instead of killing the worker.
  st.conn = db->connect();
  st.retry = retry;
  return {
    [=](run_atom, db_job& job) -> caf::result<bool> {
      std::vector<account_id> changed;
      auto ok = run_with_retries(self->state, job, changed);
      // Why: the job's closure may hold a queue_gate pass; freeing it
      // before the reply means a caller that got its answer never finds
      // its own place still taken.
      job.work = nullptr;
      if (!ok)
        return to_error(make_problem(errc::storage_failed));
      // Sent before the reply, so the sink hears of the change no later
      // than the requester does.
      if (!changed.empty() && self->state.sink)
        self->send(self->state.sink, changed_atom_v, std::move(changed));
      return true;
    },
    [=](sink_atom, caf::actor sink) {
      self->state.sink = caf::actor_cast<change_sink>(sink);
    },
    [](flush_atom) {
      // Every job commits on its own: nothing waits for a flush.
    },
    [=](stop_atom) { self->quit(); },
  };
}

// -- dispatcher
// --------------------------------------------------------------------

struct waiting_job {
  db_job job;
  caf::typed_response_promise<bool> promise;
};

struct db_pool_state {
  std::vector<db_actor> workers;
  std::vector<db_actor> idle;
  std::deque<waiting_job> queue;
  bool stopping = false; ///< quit once every queued job has been answered
  static inline const char* name = "db-pool";
};

using pool_pointer = db_actor::stateful_pointer<db_pool_state>;

/// Quits when stopping and no job is queued or running.
void quit_when_drained(pool_pointer self) {
  auto& st = self->state;
  if (st.stopping && st.queue.empty() && st.idle.size() == st.workers.size())
    self->quit();
}

/// Hands queued jobs to idle workers, oldest job first.
void dispatch(pool_pointer self) {
  auto& st = self->state;
  quit_when_drained(self);
  while (!st.idle.empty() && !st.queue.empty()) {
    auto worker = st.idle.back();
    st.idle.pop_back();
    auto promise = st.queue.front().promise;
    auto job = std::move(st.queue.front().job);
    st.queue.pop_front();
    self->request(worker, caf::infinite, run_atom_v, std::move(job))
      .then(
        [=](bool ok) mutable {
          promise.deliver(ok);
          self->state.idle.push_back(worker);
          dispatch(self);
        },
        [=](caf::error& err) mutable {
          promise.deliver(err);
          // A worker that answers with CAF's own error has died.
          if (err.category() == caf::atom("idclaim"))
            self->state.idle.push_back(worker);
          dispatch(self);
        });
  }
}

db_actor::behavior_type pool_impl(pool_pointer self,
                                  std::shared_ptr<storage::database> db,
                                  db_pool_options options) {
  auto n = std::max<std::size_t>(1, options.workers);
  for (std::size_t i = 0; i < n; ++i)
    self->state.workers.push_back(
      self->spawn<caf::detached + caf::linked>(worker_impl, db, options.retry));
  self->state.idle = self->state.workers;
  return {
    [=](run_atom, db_job& job) -> caf::typed_response_promise<bool> {
      auto promise = self->make_response_promise<bool>();
      self->state.queue.push_back(waiting_job{std::move(job), promise});
      dispatch(self);
      return promise;
    },
    [=](sink_atom, caf::actor sink) {
      for (auto& w : self->state.workers)
        self->send(w, sink_atom_v, sink);
    },
    [](flush_atom) {},
    [=](stop_atom) {
      self->state.stopping = true;
      quit_when_drained(self);
    },
  };
}

} // namespace

db_actor spawn_db_pool(caf::actor_system& sys,
                       std::shared_ptr<storage::database> db,
                       db_pool_options options) {
  return sys.spawn(pool_impl, std::move(db), std::move(options));
}

} // namespace idclaim::actors
