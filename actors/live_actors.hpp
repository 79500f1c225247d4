#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "actors/actor_stats.hpp"
#include "actors/send_times.hpp"

namespace idclaim::actors {

/// The bookkeeping of a registry of on-demand actors (claims, accounts):
/// one live actor per key, started on first use and stopped when idle.
///
/// The idle protocol: the registry counts the messages it forwards to each
/// actor; an idle actor reports how many it has handled. Only when the two
/// counts agree is the actor stopped, so a message forwarded after the
/// report keeps it alive and two actors never serve one key.
///
/// Mailbox health (how deep the deepest mailbox is, how long its oldest
/// message has waited): CAF's mailbox elements carry no enqueue time, and
/// no other thread may walk an actor's mailbox. So each entry keeps the
/// send times of the messages forwarded to it, and the actor counts the
/// messages it takes on a counter of its own (taken_counter). Mailboxes are
/// FIFO, so the first `taken` of the forwarded messages are gone and the
/// oldest still waiting is the next one: its send time is exact, not a
/// bound. The cost per message is one relaxed add in the actor and, here,
/// one relaxed load and a store into a ring that grows only with the
/// mailbox (no lock, no allocation in steady state). Messages an actor
/// sends itself (its idle timer) and storage replies are not counted.
template <class Key, class Handle>
class live_actors {
public:
  using time_point = send_times::time_point;

  live_actors() = default;
  /// Not copyable: the entries point at each other.
  live_actors(const live_actors&) = delete;
  live_actors& operator=(const live_actors&) = delete;

  /// The deepest mailbox and the longest wait, over every live actor.
  struct mailbox_health {
    std::uint64_t max_messages = 0;
    std::chrono::steady_clock::duration oldest_wait{0};
  };

  /// The live actor for `key`, started with `spawn(key, taken)` on first
  /// use (the actor counts the messages it takes on `taken`); counts one
  /// message about to be forwarded to it at `now`.
  template <class Spawn>
  Handle& forward_to(const Key& key, time_point now, Spawn&& spawn) {
    auto i = entries_.find(key);
    if (i == entries_.end()) {
      auto taken = std::make_shared<std::atomic<std::uint64_t>>(0);
      i = entries_.emplace(key, entry{spawn(key, taken), 0, taken, {}, now})
            .first;
      append(*i);
      if (stats_ != nullptr) {
        stats_->live.fetch_add(1, std::memory_order_relaxed);
        stats_->started.fetch_add(1, std::memory_order_relaxed);
      }
    }
    count_forwarded(1);
    note_forwarded(*i, now);
    return i->second.actor;
  }

  /// The live actor for `key`, if any, counting one message forwarded at
  /// `now`.
  Handle* forward_if_live(const Key& key, time_point now) {
    auto i = entries_.find(key);
    if (i == entries_.end())
      return nullptr;
    count_forwarded(1);
    note_forwarded(*i, now);
    return &i->second.actor;
  }

  /// Looks at every live actor's mailbox at `now` (O(live actors); for a
  /// scrape, not per message) and, when stats are kept, stores the figures
  /// there too, for readers on other threads.
  mailbox_health health(time_point now) {
    mailbox_health out;
    for (auto& [key, e] : entries_) {
      settle(e);
      out.max_messages
        = std::max<std::uint64_t>(out.max_messages, e.sent.size());
      if (!e.sent.empty())
        out.oldest_wait = std::max(out.oldest_wait, now - e.sent.front());
    }
    if (stats_ != nullptr) {
      namespace sc = std::chrono;
      stats_->mailbox_max.store(out.max_messages, std::memory_order_relaxed);
      stats_->oldest_wait_us.store(
        sc::duration_cast<sc::microseconds>(out.oldest_wait).count(),
        std::memory_order_relaxed);
    }
    return out;
  }

  /// Handles an idle report; returns the actor to stop when the counts
  /// agree (and forgets it), nothing otherwise.
  std::optional<Handle> on_idle(const Key& key, uint64_t handled) {
    auto i = entries_.find(key);
    if (i == entries_.end() || i->second.forwarded != handled)
      return std::nullopt;
    auto actor = std::move(i->second.actor);
    unlink(*i);
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
      unlink(*i);
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

  /// Calls `f(key, actor)` for every live actor that has taken every message
  /// forwarded to it and was last forwarded one at or before `cutoff`: the
  /// candidates for an idle probe (messages to them are not counted). The
  /// registry's one timer asks this instead of every actor keeping a timer
  /// of its own (a pending timeout costs an idle actor ~200 bytes).
  ///
  /// The entries are kept in the order of their last message, so this
  /// walks only the quiet ones, oldest first, and a registry that asks
  /// every second probes about as many actors per tick as became quiet in
  /// that second: never all of them at once.
  template <class F>
  void for_each_quiet_since(time_point cutoff, F&& f) {
    for (auto* n = oldest_; n != nullptr && n->second.last_forwarded <= cutoff;
         n = n->second.newer) {
      settle(n->second);
      if (!n->second.sent.empty())
        continue;
      // Quiet: the ring kept for a stream of messages is not needed now.
      n->second.sent.release_if_empty();
      f(n->first, n->second.actor);
    }
  }

  /// Calls `f(key, actor)` for every live actor, counting one message each,
  /// sent at `now`.
  template <class F>
  void forward_to_all(time_point now, F&& f) {
    count_forwarded(entries_.size());
    for (auto& n : entries_) {
      note_forwarded(n, now);
      f(n.first, n.second.actor);
    }
  }

  /// Calls `f(actor)` for every live actor, forwarding nothing.
  template <class F>
  void for_each_actor(F&& f) const {
    for (auto& n : entries_)
      f(n.second.actor);
  }

  std::size_t size() const { return entries_.size(); }

  /// Makes `stats` (which must outlive this, or be null) follow the live
  /// actors and the messages forwarded to them.
  void set_stats(actor_stats* stats) noexcept { stats_ = stats; }

private:
  struct entry {
    Handle actor;
    uint64_t forwarded = 0;
    taken_counter taken; ///< counted by the actor
    send_times sent;     ///< of the messages it may not have taken yet
    time_point last_forwarded{}; ///< when the newest message was forwarded
    /// Neighbours in the order of last_forwarded (map nodes do not move).
    std::pair<const Key, entry>* older = nullptr;
    std::pair<const Key, entry>* newer = nullptr;
  };
  using node = std::pair<const Key, entry>;

  void unlink(node& n) noexcept {
    auto& e = n.second;
    (e.older != nullptr ? e.older->second.newer : oldest_) = e.newer;
    (e.newer != nullptr ? e.newer->second.older : newest_) = e.older;
    e.older = e.newer = nullptr;
  }

  void append(node& n) noexcept {
    n.second.older = newest_;
    (newest_ != nullptr ? newest_->second.newer : oldest_) = &n;
    newest_ = &n;
  }

  /// Makes `n` (linked since forward_to made it) the newest: it was just
  /// forwarded a message.
  void move_to_newest(node& n) noexcept {
    if (newest_ == &n)
      return;
    unlink(n);
    append(n);
  }

  void count_forwarded(std::size_t n) noexcept {
    if (stats_ != nullptr)
      stats_->forwarded.fetch_add(n, std::memory_order_relaxed);
  }

  /// Forgets the send times of the messages the actor has taken.
  static void settle(entry& e) {
    auto taken = e.taken->load(std::memory_order_relaxed);
    auto first = e.forwarded - e.sent.size(); // the number of sent.front()
    if (taken > first)
      e.sent.drop_front(static_cast<std::size_t>(taken - first));
  }

  void note_forwarded(node& n, time_point now) {
    auto& e = n.second;
    settle(e);
    e.forwarded += 1;
    e.sent.push(now);
    e.last_forwarded = now;
    move_to_newest(n);
  }

  std::unordered_map<Key, entry> entries_;
  node* oldest_ = nullptr; ///< the least recently forwarded a message
  node* newest_ = nullptr;
  actor_stats* stats_ = nullptr;
};

} // namespace idclaim::actors
