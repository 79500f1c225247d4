#include "crypto/key_rotation.hpp"

#include <algorithm>
#include <stdexcept>

namespace idclaim::crypto {

key_set begin_encryption_rotation(const std::string& path) {
  auto keys = load_key_file(path);
  if (keys.encryption_ids().size() > 1)
    return keys;
  try {
    keys.rotate_encryption_key();
  } catch (const std::length_error&) {
    throw key_file_error("key file " + path + ": all 255 key ids are used");
  }
  save_key_file(path, keys);
  return keys;
}

int finish_encryption_rotation(const std::string& path) {
  auto keys = load_key_file(path);
  int removed = 0;
  for (auto id : keys.encryption_ids())
    if (id != keys.current_encryption_id()) {
      keys.remove_encryption_key(id);
      ++removed;
    }
  if (removed > 0)
    save_key_file(path, keys);
  return removed;
}

key_set begin_index_rotation(const std::string& path) {
  auto keys = load_key_file(path);
  if (keys.index_ids().size() > 1)
    return keys;
  try {
    keys.add_next_index_key();
  } catch (const std::length_error&) {
    throw key_file_error("key file " + path
                         + ": all 255 blind-index key ids are used");
  }
  save_key_file(path, keys);
  return keys;
}

key_set switch_index_key(const std::string& path) {
  auto keys = load_key_file(path);
  auto ids = keys.index_ids();
  auto newest = *std::max_element(ids.begin(), ids.end());
  if (newest == keys.index_key_id())
    return keys;
  keys.set_current_index_id(newest);
  save_key_file(path, keys);
  return keys;
}

int finish_index_rotation(const std::string& path) {
  auto keys = load_key_file(path);
  int removed = 0;
  for (auto id : keys.index_ids())
    if (id != keys.index_key_id()) {
      keys.remove_index_key(id);
      ++removed;
    }
  if (removed > 0)
    save_key_file(path, keys);
  return removed;
}

} // namespace idclaim::crypto
