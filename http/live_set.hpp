#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace idclaim::http {

/// The live connections of one kind (HTTP sessions, WebSocket sessions), held
/// weakly, so that stopping the server can reach each of them. Thread-safe;
/// connections add themselves when they start and remove themselves in their
/// destructor.
template <class T>
class live_set {
public:
  /// Records `item`; returns the id to remove it with.
  std::uint64_t add(std::weak_ptr<T> item) {
    std::lock_guard<std::mutex> guard{mtx_};
    auto id = ++next_id_;
    items_.emplace(id, std::move(item));
    return id;
  }

  /// Forgets the item with `id`.
  void remove(std::uint64_t id) {
    std::lock_guard<std::mutex> guard{mtx_};
    items_.erase(id);
  }

  /// The number of items recorded.
  std::size_t size() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return items_.size();
  }

  /// The items recorded now (some may be expiring).
  std::vector<std::weak_ptr<T>> snapshot() const {
    std::lock_guard<std::mutex> guard{mtx_};
    std::vector<std::weak_ptr<T>> result;
    result.reserve(items_.size());
    for (auto& entry : items_)
      result.push_back(entry.second);
    return result;
  }

private:
  mutable std::mutex mtx_;
  std::uint64_t next_id_ = 0;
  std::unordered_map<std::uint64_t, std::weak_ptr<T>> items_;
};

} // namespace idclaim::http
