#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace idclaim::http {

/// Failed logins per username, counted alike whether or not an account (or
/// a staff member) has that name, so that the lock of one name tells an
/// attacker nothing about whether it exists.
///
/// A name is held only as a keyed digest (BLAKE2b-128 under a random key
/// made at construction and wiped at destruction): the table never holds or
/// logs a username, and a digest means nothing outside this object.
///
/// The table is **per process**: each `idclaim serve` counts the failures it
/// saw itself. Behind a load balancer a name locks after `keep` failures on
/// any one process (the per-IP limit, kept in the database, is shared).
/// Memory is bounded: at most `capacity` names, and when a new one comes in
/// at capacity the name whose newest failure is oldest is forgotten. A name
/// costs about 250 bytes with `keep` = 10, so 100000 names stay near 25 MB.
///
/// Thread-safe: every member locks the table.
class login_failures {
public:
  /// Keeps at most `capacity` names (at least 1) and, for each, the newest
  /// `keep` failure times (at least 1) within `window_ms`: the judge only
  /// compares counts with limits, so `keep` = the highest limit suffices.
  login_failures(std::size_t capacity, std::size_t keep, int64_t window_ms);

  ~login_failures();

  login_failures(const login_failures&) = delete;
  login_failures& operator=(const login_failures&) = delete;

  /// The failures of `username_key` (the normalised name) within the window
  /// ending at `now_ms`, at most `keep`.
  int64_t count(std::string_view username_key, int64_t now_ms) const;

  /// Records one failure of `username_key` at `now_ms`.
  void record(std::string_view username_key, int64_t now_ms);

  /// How many names the table holds now.
  std::size_t size() const;

private:
  /// A name's keyed digest (fits in place: no allocation per copy).
  using digest_type = std::array<unsigned char, 16>;

  /// Buckets by the digest's first bytes: it is already a keyed hash.
  struct digest_hash {
    std::size_t operator()(const digest_type& d) const noexcept;
  };

  /// Failure times of one name, oldest first, and its place in `order_`.
  struct entry {
    std::vector<int64_t> times;
    std::list<digest_type>::iterator place;
  };

  digest_type digest(std::string_view username_key) const;

  std::size_t capacity_;
  std::size_t keep_;
  int64_t window_ms_;
  std::array<unsigned char, 32> key_;
  mutable std::mutex mutex_;
  /// Digests, the most recently failed first.
  std::list<digest_type> order_;
  std::unordered_map<digest_type, entry, digest_hash> table_;
};

} // namespace idclaim::http
