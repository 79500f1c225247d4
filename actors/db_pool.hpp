#pragma once

#include <chrono>
#include <cstddef>
#include <memory>

#include "actors/db_actor.hpp"

namespace idclaim::actors {

/// How a pool worker retries a job whose transaction the database aborted
/// (serialization failure, deadlock, lost connection): `tries` attempts in
/// all, waiting `first_backoff`, then twice as long each time up to
/// `max_backoff`, each wait shortened by a random jitter of up to half so
/// that two workers that collided do not collide again in step.
struct retry_policy {
  int tries = 5;
  std::chrono::milliseconds first_backoff{5};
  std::chrono::milliseconds max_backoff{80};

  /// The wait before attempt `attempt + 1` (attempt counts from 1), before
  /// jitter.
  std::chrono::milliseconds backoff(int attempt) const;
};

/// How a storage pool runs.
struct db_pool_options {
  std::size_t workers = 4; ///< detached workers, one connection each
  retry_policy retry;
};

/// Spawns the storage of a database that several connections may write at
/// once (PostgreSQL): a dispatcher that hands each job to an idle worker
/// (queueing it while all are busy, so that a worker blocked on a row lock
/// holds up no other job) and `workers` detached workers, each with its own
/// connection, running every job as its own transaction. A job the
/// database aborted is rolled back and run again from scratch (see
/// retry_policy); the changes it recorded in a failed try are discarded.
/// Replies as `spawn_db_actor` does: `true` after the commit, or error
/// `storage_failed`; after each commit the worker sends the accounts the job
/// changed to the sink set with `sink_atom` (which the dispatcher hands to
/// every worker). The workers stop with the dispatcher.
db_actor spawn_db_pool(caf::actor_system& sys,
                       std::shared_ptr<storage::database> db,
                       db_pool_options options);

} // namespace idclaim::actors
