#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace idclaim::actors {

/// The send times of the messages a registry forwarded to one actor that
/// the actor may not have taken yet, oldest first: a ring buffer that grows
/// by doubling, so a steady stream of messages costs no allocation, and
/// that gives its memory back once empty after a burst (an idle actor keeps
/// nothing). Only the registry's thread touches it.
class send_times {
public:
  using time_point = std::chrono::steady_clock::time_point;

  /// Records the send time of the newest message.
  void push(time_point t) {
    if (size_ == ring_.size())
      grow();
    ring_[(head_ + size_) % ring_.size()] = t;
    size_ += 1;
  }

  /// Forgets the `n` oldest times (messages the actor has taken); at most
  /// size().
  void drop_front(std::size_t n) {
    if (n >= size_) {
      clear();
      return;
    }
    head_ = static_cast<std::uint32_t>((head_ + n) % ring_.size());
    size_ -= static_cast<std::uint32_t>(n);
  }

  /// The send time of the oldest message; only when !empty().
  time_point front() const { return ring_[head_]; }

  bool empty() const noexcept { return size_ == 0; }

  /// Gives back the kept ring when nothing waits: for an actor gone quiet,
  /// whose next message may be a long way off.
  void release_if_empty() {
    if (size_ == 0) {
      head_ = 0;
      std::vector<time_point>{}.swap(ring_);
    }
  }

  /// Slots held now (for tests).
  std::size_t capacity() const noexcept { return ring_.size(); }

  std::size_t size() const noexcept { return size_; }

private:
  /// Why keep a small ring: most actors see one message at a time, and a
  /// few slots are cheaper to keep than to allocate again.
  static constexpr std::size_t kept_when_empty = 8;

  void clear() {
    head_ = 0;
    size_ = 0;
    if (ring_.size() > kept_when_empty)
      std::vector<time_point>{}.swap(ring_);
  }

  void grow() {
    std::vector<time_point> bigger(ring_.empty() ? 2 : ring_.size() * 2);
    for (std::size_t i = 0; i < size_; ++i)
      bigger[i] = ring_[(head_ + i) % ring_.size()];
    ring_.swap(bigger);
    head_ = 0;
  }

  std::vector<time_point> ring_;
  // 32-bit: a registry keeps one of these per live actor, and no mailbox
  // holds 4 billion messages.
  std::uint32_t head_ = 0;
  std::uint32_t size_ = 0;
};

} // namespace idclaim::actors
