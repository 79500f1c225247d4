#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "actors/actor_stats.hpp"

namespace idclaim::actors {

/// The bookkeeping of a registry of on-demand actors (claims, accounts):
/// one live actor per key, started on first use and stopped when idle.
///
/// The idle protocol: the registry counts the messages it forwards to each
/// actor; an idle actor reports how many it has handled. Only when the two
/// counts agree is the actor stopped, so a message forwarded after the
/// report keeps it alive and two actors never serve one key.
template <class Key, class Handle>
class live_actors {
public:
  /// The live actor for `key`, started with `spawn(key)` on first use;
  /// counts one message about to be forwarded to it.
  template <class Spawn>
  Handle& forward_to(const Key& key, Spawn&& spawn) {
    auto i = entries_.find(key);
    if (i == entries_.end()) {
      i = entries_.emplace(key, entry{spawn(key), 0}).first;
      if (stats_ != nullptr) {
        stats_->live.fetch_add(1, std::memory_order_relaxed);
        stats_->started.fetch_add(1, std::memory_order_relaxed);
      }
    }
    count_forwarded(1);
    i->second.forwarded += 1;
    return i->second.actor;
  }

  /// The live actor for `key`, if any, counting one forwarded message.
  Handle* forward_if_live(const Key& key) {
    auto i = entries_.find(key);
    if (i == entries_.end())
      return nullptr;
    count_forwarded(1);
    i->second.forwarded += 1;
    return &i->second.actor;
  }

  /// Handles an idle report; returns the actor to stop when the counts
  /// agree (and forgets it), nothing otherwise.
  std::optional<Handle> on_idle(const Key& key, uint64_t handled) {
    auto i = entries_.find(key);
    if (i == entries_.end() || i->second.forwarded != handled)
      return std::nullopt;
    auto actor = std::move(i->second.actor);
    entries_.erase(i);
    if (stats_ != nullptr) {
      stats_->live.fetch_sub(1, std::memory_order_relaxed);
      stats_->stopped.fetch_add(1, std::memory_order_relaxed);
    }
    return actor;
  }

  /// Forgets the actor for which `is_it(actor)` holds, after it ended on its
  /// own (`failed`: of an error), so the next message for its key starts a
  /// fresh one. Returns false when no live actor matched.
  template <class Pred>
  bool forget_ended(Pred&& is_it, bool failed) {
    for (auto i = entries_.begin(); i != entries_.end(); ++i) {
      if (!is_it(i->second.actor))
        continue;
      entries_.erase(i);
      if (stats_ != nullptr) {
        stats_->live.fetch_sub(1, std::memory_order_relaxed);
        (failed ? stats_->failed : stats_->stopped)
          .fetch_add(1, std::memory_order_relaxed);
      }
      return true;
    }
    return false;
  }

  /// Calls `f(key, actor)` for every live actor, counting one message each.
  template <class F>
  void forward_to_all(F&& f) {
    count_forwarded(entries_.size());
    for (auto& [key, e] : entries_) {
      e.forwarded += 1;
      f(key, e.actor);
    }
  }

  std::size_t size() const { return entries_.size(); }

  /// Makes `stats` (which must outlive this, or be null) follow the live
  /// actors and the messages forwarded to them.
  void set_stats(actor_stats* stats) noexcept { stats_ = stats; }

private:
  void count_forwarded(std::size_t n) noexcept {
    if (stats_ != nullptr)
      stats_->forwarded.fetch_add(n, std::memory_order_relaxed);
  }


  struct entry {
    Handle actor;
    uint64_t forwarded = 0;
  };
  std::unordered_map<Key, entry> entries_;
  actor_stats* stats_ = nullptr;
};

} // namespace idclaim::actors
