#include "http/login_failures.hpp"

#include <algorithm>
#include <cstring>

#include <sodium.h>

namespace idclaim::http {

login_failures::login_failures(std::size_t capacity, std::size_t keep,
                               int64_t window_ms)
  : capacity_(std::max<std::size_t>(1, capacity)),
    keep_(std::max<std::size_t>(1, keep)), window_ms_(window_ms) {
  static_assert(sizeof(key_) >= crypto_generichash_KEYBYTES_MIN);
  randombytes_buf(key_.data(), key_.size());
}

login_failures::~login_failures() {
  sodium_memzero(key_.data(), key_.size());
}

std::size_t
login_failures::digest_hash::operator()(const digest_type& d) const noexcept {
  std::size_t out = 0;
  std::memcpy(&out, d.data(), sizeof(out));
  return out;
}

login_failures::digest_type
login_failures::digest(std::string_view username_key) const {
  // 128 bits: collisions among at most `capacity` names are negligible.
  static_assert(sizeof(digest_type) >= crypto_generichash_BYTES_MIN);
  digest_type out;
  crypto_generichash(
    out.data(), out.size(),
    reinterpret_cast<const unsigned char*>(
      username_key.data() != nullptr ? username_key.data() : ""),
    username_key.size(), key_.data(), key_.size());
  return out;
}

int64_t login_failures::count(std::string_view username_key,
                              int64_t now_ms) const {
  auto d = digest(username_key);
  auto since = now_ms - window_ms_;
  std::lock_guard<std::mutex> guard{mutex_};
  auto i = table_.find(d);
  if (i == table_.end())
    return 0;
  auto& times = i->second.times;
  return std::count_if(times.begin(), times.end(),
                       [since](int64_t t) { return t >= since; });
}

void login_failures::record(std::string_view username_key, int64_t now_ms) {
  auto d = digest(username_key);
  std::lock_guard<std::mutex> guard{mutex_};
  auto i = table_.find(d);
  if (i == table_.end()) {
    if (table_.size() >= capacity_) {
      // The back is the name whose newest failure is oldest: forgetting it
      // costs the least protection (expired names go first).
      table_.erase(order_.back());
      order_.pop_back();
    }
    order_.push_front(d);
    i = table_.emplace(d, entry{{}, order_.begin()}).first;
  } else {
    order_.splice(order_.begin(), order_, i->second.place);
  }
  auto& times = i->second.times;
  times.push_back(now_ms);
  if (times.size() > keep_)
    times.erase(times.begin(), times.end() - static_cast<long>(keep_));
}

std::size_t login_failures::size() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return table_.size();
}

} // namespace idclaim::http
