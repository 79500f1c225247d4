#include "actors/db_actor.hpp"

#include <vector>

#include <caf/actor_system.hpp>
#include <caf/typed_response_promise.hpp>
#include <spdlog/spdlog.h>

#include "storage/storage_error.hpp"

namespace idclaim::actors {

namespace {

struct pending_job {
  db_job job;
  caf::typed_response_promise<bool> promise;
  bool ok = false;
  std::vector<storage::account_change> changed; ///< what the job changed
};

struct db_state {
  std::unique_ptr<storage::connection> conn;
  std::vector<pending_job> batch;
  bool flush_scheduled = false;
  change_sink sink;
  static inline const char* name = "db";
};

/// Runs one job inside its own savepoint so that its failure does not undo
/// the other jobs of the group.
void run_one(storage::connection& conn, pending_job& p) {
  conn.savepoint();
  try {
    p.job.work(conn);
    conn.release_savepoint();
    p.ok = true;
    p.changed = conn.take_changes();
  } catch (const std::exception& e) {
    spdlog::error("storage job failed: {}", e.what());
    conn.rollback_to_savepoint();
    conn.take_changed(); // undone with the job
  }
}

/// Commits the queued jobs as one transaction, then answers each of them.
void flush(db_actor::stateful_pointer<db_state> self) {
  auto& st = self->state;
  st.flush_scheduled = false;
  auto batch = std::move(st.batch);
  st.batch.clear();
  bool committed = false;
  try {
    st.conn->begin();
    for (auto& p : batch)
      run_one(*st.conn, p);
    st.conn->commit();
    committed = true;
  } catch (const std::exception& e) {
    spdlog::error("storage commit failed: {}", e.what());
    try {
      st.conn->rollback();
    } catch (const std::exception&) {
      // The connection is broken; the next begin() reports it.
    }
  }
  // Why: a job's closure may hold a queue_gate pass; freeing it before the
  // replies means a caller that got its answer never finds its own place
  // still taken.
  for (auto& p : batch)
    p.job.work = nullptr;
  std::vector<int64_t> changed;
  std::vector<int64_t> unread; ///< as committed, -1: read it afresh
  for (auto& p : batch) {
    if (committed && p.ok) {
      p.promise.deliver(true);
      for (auto& c : p.changed) {
        changed.push_back(c.id);
        unread.push_back(c.unread.value_or(-1));
      }
    } else {
      p.promise.deliver(to_error(make_problem(errc::storage_failed)));
    }
  }
  // In commit order, so a later job's count for the same account wins.
  if (!changed.empty() && st.sink)
    self->send(st.sink, changed_atom_v, std::move(changed), std::move(unread));
}

db_actor::behavior_type db_impl(db_actor::stateful_pointer<db_state> self,
                                std::shared_ptr<storage::database> db,
                                std::size_t batch_limit) {
  self->state.conn = db->connect();
  return {
    [=](run_atom, db_job& job) -> caf::typed_response_promise<bool> {
      auto& st = self->state;
      st.batch.push_back(pending_job{
        std::move(job), self->make_response_promise<bool>(), false, {}});
      auto promise = st.batch.back().promise;
      // The flush message queues behind every job already in the mailbox,
      // so all of them join this group.
      if (st.batch.size() >= batch_limit)
        flush(self);
      else if (!st.flush_scheduled) {
        st.flush_scheduled = true;
        self->send(self, flush_atom_v);
      }
      return promise;
    },
    [=](sink_atom, caf::actor sink) {
      self->state.sink = caf::actor_cast<change_sink>(sink);
    },
    [=](stop_atom) {
      // Queued behind every job sent before it: commit them, then quit.
      if (!self->state.batch.empty())
        flush(self);
      self->quit();
    },
    [=](flush_atom) {
      if (!self->state.batch.empty())
        flush(self);
      else
        self->state.flush_scheduled = false;
    },
  };
}

} // namespace

db_actor spawn_db_actor(caf::actor_system& sys,
                        std::shared_ptr<storage::database> db,
                        std::size_t batch_limit) {
  return sys.spawn<caf::detached>(db_impl, std::move(db),
                                  std::max<std::size_t>(1, batch_limit));
}

db_actor spawn_db_actor_for_tests(caf::actor_system& sys,
                                  std::shared_ptr<storage::database> db,
                                  std::size_t batch_limit) {
  return sys.spawn(db_impl, std::move(db),
                   std::max<std::size_t>(1, batch_limit));
}

} // namespace idclaim::actors
