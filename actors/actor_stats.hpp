#pragma once

#include <atomic>
#include <cstdint>

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

  /// Messages forwarded and not yet taken: the summed mailbox depth. The
  /// two counters are read apart, so a scrape during traffic may be off by
  /// the messages of that instant; never negative.
  std::uint64_t queued() const noexcept {
    auto h = handled.load(std::memory_order_relaxed);
    auto f = forwarded.load(std::memory_order_relaxed);
    return f > h ? f - h : 0;
  }
};

} // namespace idclaim::actors
