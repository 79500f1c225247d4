#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

namespace idclaim::actors {

/// Live figures of one kind of on-demand actor (claim, account), kept by
/// its registry and its actors and read by /metrics and
/// /api/v1/admin/actors. Every field is a relaxed atomic: one add per
/// message, no lock.
struct actor_stats {
  std::atomic<std::int64_t> live{0};       ///< actors running now
  std::atomic<std::uint64_t> started{0};   ///< actors started since start-up
  std::atomic<std::uint64_t> stopped{0};   ///< actors stopped when idle
  std::atomic<std::uint64_t> failed{0};    ///< actors that died of an error
  std::atomic<std::uint64_t> forwarded{0}; ///< messages the registry sent
  std::atomic<std::uint64_t> handled{0};   ///< messages the actors took
  /// The deepest mailbox of one actor of the kind, as of the registry's
  /// last look (see live_actors::health); which actor it is stays unsaid.
  std::atomic<std::uint64_t> mailbox_max{0};
  /// How long the oldest message still waiting in any actor of the kind
  /// had waited, in microseconds, as of the same look; 0: none waits.
  std::atomic<std::int64_t> oldest_wait_us{0};

  /// Messages forwarded and not yet taken: the summed mailbox depth. The
  /// two counters are read apart, so a scrape during traffic may be off by
  /// the messages of that instant; never negative.
  std::uint64_t queued() const noexcept {
    auto h = handled.load(std::memory_order_relaxed);
    auto f = forwarded.load(std::memory_order_relaxed);
    return f > h ? f - h : 0;
  }
};

/// How many messages from its registry one on-demand actor has taken: the
/// actor adds one per message (a relaxed add on a counter of its own) and
/// the registry reads it to know which of the messages it forwarded still
/// wait. Shared by the two; null where nobody reads it (unit tests).
using taken_counter = std::shared_ptr<std::atomic<std::uint64_t>>;

/// Counts one message taken on `taken`, when there is one.
inline void count_taken(const taken_counter& taken) noexcept {
  if (taken != nullptr)
    taken->fetch_add(1, std::memory_order_relaxed);
}

} // namespace idclaim::actors
