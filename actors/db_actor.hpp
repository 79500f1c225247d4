#pragma once

#include <memory>

#include <caf/typed_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "actors/messages.hpp"
#include "storage/database.hpp"

namespace idclaim::actors {

/// A storage worker: owns one connection and runs `db_job`s on its own
/// thread (spawn it `detached`), never on CAF's scheduler or Asio's threads.
/// Replies `true` once the job's transaction committed (I5: a 2xx answer
/// means durable), or an error `storage_failed`. After each commit it tells
/// its sink (the account registry, set with `sink_atom`) which accounts the
/// committed jobs changed, so their live pages update.
/// Where "these accounts changed" goes: the account registry. The second
/// form comes from the single SQLite writer: `unread[i]` is the unread
/// count of `ids[i]` as committed when only its inbox changed, else -1
/// (connection::inbox_changed).
using change_sink
  = caf::typed_actor<caf::reacts_to<changed_atom, std::vector<int64_t>>,
                     caf::reacts_to<changed_atom, std::vector<int64_t>,
                                    std::vector<int64_t>>>;

using db_actor = caf::typed_actor<
  caf::replies_to<run_atom, db_job>::with<bool>,
  caf::reacts_to<flush_atom>,
  caf::reacts_to<sink_atom, caf::actor>,
  caf::reacts_to<stop_atom>>;

/// Spawns a detached storage worker on `db`. Jobs that arrive while one
/// group is being committed form the next group, up to `batch_limit` jobs per
/// transaction (group commit).
db_actor spawn_db_actor(caf::actor_system& sys,
                        std::shared_ptr<storage::database> db,
                        std::size_t batch_limit);

/// The same storage actor, but scheduled like any event-based actor. Only
/// for tests on CAF's deterministic test coordinator, which cannot drive
/// detached actors; it blocks its scheduler thread on every job.
db_actor spawn_db_actor_for_tests(caf::actor_system& sys,
                                  std::shared_ptr<storage::database> db,
                                  std::size_t batch_limit);

} // namespace idclaim::actors
