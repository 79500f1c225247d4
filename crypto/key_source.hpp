#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "crypto/key_set.hpp"

namespace idclaim::crypto {

/// Where the field cipher and the blind index take their keys from: an
/// immutable key_set snapshot that can be swapped while the service runs,
/// so `idclaim keys rotate` can add and later remove keys without a restart.
///
/// Readers take the snapshot with an atomic load of a shared_ptr, so a swap
/// never invalidates a key set in use. A source made from a key file
/// re-reads it when its mtime, size or inode changed, at most once per
/// `check_interval_ms` (asked by every `current()`), or at once through
/// `reload_if_changed()` (asked when a sealed value names an unknown key).
/// A file that cannot be read keeps the last good snapshot: a rotation
/// never writes a partial file (rename), so this is an operator mistake
/// that must not stop the service. Thread-safe.
class key_source {
public:
  /// A source that never changes (tests, one-shot commands).
  explicit key_source(std::shared_ptr<const key_set> keys);

  /// A source that follows the key file at `path`, starting from `keys`
  /// (already loaded from it). Throws key_file_error when `path` cannot be
  /// stat'ed.
  key_source(std::shared_ptr<const key_set> keys, std::string path,
             int64_t check_interval_ms = 1000);

  key_source(const key_source&) = delete;
  key_source& operator=(const key_source&) = delete;

  /// The key set to use now; may first re-read the key file (see above).
  std::shared_ptr<const key_set> current() const;

  /// Re-reads the key file now if it changed since the last read. Returns
  /// true when a new snapshot was installed. Never throws.
  bool reload_if_changed() const;

  /// Installs `keys` as the snapshot (tests; a rotation in this process).
  void replace(std::shared_ptr<const key_set> keys) const;

  /// How many snapshots were installed after the first (for tests).
  uint64_t generation() const noexcept { return generation_.load(); }

private:
  /// What identifies one version of the key file.
  struct file_stamp {
    int64_t mtime_ns = 0;
    int64_t size = 0;
    uint64_t inode = 0;
    bool operator==(const file_stamp& o) const {
      return mtime_ns == o.mtime_ns && size == o.size && inode == o.inode;
    }
  };

  static bool stat_file(const std::string& path, file_stamp& out);

  // mutable: the snapshot is a cache of the file, so reading through a
  // const source may refresh it.
  mutable std::shared_ptr<const key_set> keys_;
  const std::string path_;
  const int64_t check_interval_ms_ = 0;
  mutable std::atomic<int64_t> next_check_ms_{0};
  mutable std::mutex reload_mutex_; ///< one reader of the file at a time
  mutable file_stamp stamp_;        ///< guarded by reload_mutex_
  mutable std::atomic<uint64_t> generation_{0};
};

} // namespace idclaim::crypto
