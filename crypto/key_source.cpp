#include "crypto/key_source.hpp"

#include <chrono>
#include <stdexcept>
#include <utility>

#include <sys/stat.h>

namespace idclaim::crypto {

namespace {

int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           std::chrono::steady_clock::now().time_since_epoch())
    .count();
}

} // namespace

key_source::key_source(std::shared_ptr<const key_set> keys)
  : keys_(std::move(keys)) {
  if (!keys_)
    throw std::invalid_argument("key_source needs a key set");
}

key_source::key_source(std::shared_ptr<const key_set> keys, std::string path,
                       int64_t check_interval_ms)
  : keys_(std::move(keys)), path_(std::move(path)),
    check_interval_ms_(check_interval_ms) {
  if (!keys_)
    throw std::invalid_argument("key_source needs a key set");
  if (!stat_file(path_, stamp_))
    throw key_file_error("key file " + path_ + ": cannot stat");
  next_check_ms_ = steady_ms() + check_interval_ms_;
}

bool key_source::stat_file(const std::string& path, file_stamp& out) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0)
    return false;
  out.mtime_ns
    = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  out.size = static_cast<int64_t>(st.st_size);
  out.inode = static_cast<uint64_t>(st.st_ino);
  return true;
}

std::shared_ptr<const key_set> key_source::current() const {
  if (!path_.empty()) {
    auto now = steady_ms();
    auto due = next_check_ms_.load();
    // Only the thread that moves the deadline stats the file; the others
    // go on with the snapshot they have.
    if (now >= due
        && next_check_ms_.compare_exchange_strong(due,
                                                  now + check_interval_ms_))
      reload_if_changed();
  }
  return std::atomic_load(&keys_);
}

bool key_source::reload_if_changed() const {
  if (path_.empty())
    return false;
  std::lock_guard<std::mutex> guard{reload_mutex_};
  file_stamp now;
  if (!stat_file(path_, now) || now == stamp_)
    return false;
  try {
    auto fresh = std::make_shared<const key_set>(load_key_file(path_));
    std::atomic_store(&keys_, std::shared_ptr<const key_set>{fresh});
    stamp_ = now;
    ++generation_;
    return true;
  } catch (const std::exception&) {
    // Keep the last good keys; the next change of the file is tried again.
    return false;
  }
}

void key_source::replace(std::shared_ptr<const key_set> keys) const {
  if (!keys)
    throw std::invalid_argument("key_source needs a key set");
  std::lock_guard<std::mutex> guard{reload_mutex_};
  std::atomic_store(&keys_, std::move(keys));
  ++generation_;
}

} // namespace idclaim::crypto
