#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace idclaim::crypto {

/// Identifies one key inside a key set. It is stored in every sealed value
/// so the right key can be found again after rotation. 0 is never a valid
/// id, so an all-zero header is recognisably not ours.
using key_id = uint8_t;

/// Thrown when a key file cannot be created, read or parsed. The message
/// names the file and the problem but never contains key material.
class key_file_error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// 32 bytes of secret key material, wiped when the object goes away.
class secret_key {
public:
  /// Size in bytes of every idclaim key (XChaCha20 and BLAKE2b keys alike).
  static constexpr size_t size = 32;

  /// An all-zero key; fill it through `data()` or use `random()`.
  secret_key() noexcept;

  /// A fresh key from the system CSPRNG.
  static secret_key random();

  /// Copies the bytes; both copies are wiped independently.
  secret_key(const secret_key& other) noexcept;

  /// Copies the bytes over the current ones.
  secret_key& operator=(const secret_key& other) noexcept;

  /// Wipes the key bytes.
  ~secret_key();

  /// Read access for libsodium calls.
  const unsigned char* data() const noexcept { return bytes_.data(); }

  /// Write access, used to decode a key straight into place without an
  /// intermediate copy.
  unsigned char* data() noexcept { return bytes_.data(); }

  /// Compares in constant time, so comparing keys leaks nothing about them.
  bool operator==(const secret_key& other) const noexcept;

  /// Negation of `==`.
  bool operator!=(const secret_key& other) const noexcept {
    return !(*this == other);
  }

private:
  std::array<unsigned char, size> bytes_;
};

/// The keys of one deployment: every encryption key that may still be needed
/// to decrypt stored data (by id), which of them encrypts new data, and the
/// blind-index keys.
///
/// There is one blind-index key, or two while one is being rotated
/// (docs/key-rotation.md): the current one computes the values written, and
/// lookups ask for the values under both, so rows not yet recomputed are
/// still found.
class key_set {
public:
  /// The most blind-index keys a set holds: every lookup asks for one value
  /// per key, and the storage queries are written for two.
  static constexpr size_t max_index_keys = 2;

  /// A set with one encryption key (which is current) and one index key
  /// (which is current too).
  key_set(key_id enc_id, secret_key enc_key, key_id index_id,
          secret_key index_key);

  /// A set with fresh random keys, both with id 1.
  static key_set generate();

  // -- encryption keys -------------------------------------------------------

  /// The id of the key used to encrypt new data.
  key_id current_encryption_id() const noexcept { return current_enc_id_; }

  /// The key used to encrypt new data.
  const secret_key& current_encryption_key() const;

  /// The encryption key with `id`, or nullptr when the set no longer (or
  /// never) held it.
  const secret_key* encryption_key(key_id id) const noexcept;

  /// All encryption key ids, in ascending order.
  std::vector<key_id> encryption_ids() const;

  /// Adds an older or newer encryption key without making it current.
  /// Throws std::invalid_argument for id 0 or an id already present.
  void add_encryption_key(key_id id, secret_key key);

  /// Makes the key with `id` the one new data is encrypted with. Throws
  /// std::invalid_argument when the set has no such key.
  void set_current_encryption_id(key_id id);

  /// Adds a fresh random encryption key with the next free id and makes it
  /// current; older keys stay for decryption. Returns the new id. Throws
  /// std::length_error when all 255 ids are used.
  key_id rotate_encryption_key();

  /// Forgets an old encryption key once no stored value uses it any more.
  /// Throws std::invalid_argument for the current key or an unknown id.
  void remove_encryption_key(key_id id);

  // -- blind-index keys ------------------------------------------------------

  /// The id of the blind-index key that computes the values written.
  key_id index_key_id() const noexcept { return current_index_id_; }

  /// The blind-index key that computes the values written.
  const secret_key& index_key() const;

  /// The blind-index key with `id`, or nullptr when the set has none.
  const secret_key* index_key(key_id id) const noexcept;

  /// All blind-index key ids, the current one first, then the other one
  /// (during a rotation).
  std::vector<key_id> index_ids() const;

  /// Adds a blind-index key without making it current. Throws
  /// std::invalid_argument for id 0, an id already present or a set that
  /// already holds `max_index_keys`.
  void add_index_key(key_id id, secret_key key);

  /// Makes the index key with `id` the one written values are computed
  /// with. Throws std::invalid_argument when the set has no such key.
  void set_current_index_id(key_id id);

  /// Adds a fresh random blind-index key with the next id after the
  /// highest, NOT current (lookups find values under it first; see
  /// docs/key-rotation.md). Returns its id. Throws std::length_error when
  /// all 255 ids are used, std::invalid_argument when the set already
  /// holds two index keys.
  key_id add_next_index_key();

  /// Forgets a blind-index key once no stored value is under it. Throws
  /// std::invalid_argument for the current key or an unknown id.
  void remove_index_key(key_id id);

private:
  std::map<key_id, secret_key> enc_keys_;
  key_id current_enc_id_;
  std::map<key_id, secret_key> index_keys_;
  key_id current_index_id_;
};

/// True when something exists at `path` (readable or not), so the caller
/// can choose between loading and creating the key file.
bool key_file_exists(const std::string& path);

/// Reads a key file written by `create_key_file` or `save_key_file`.
/// Throws key_file_error when the file is missing, is not a regular file, is
/// accessible by group or others, or is malformed.
key_set load_key_file(const std::string& path);

/// Generates a new key set and writes it to `path`, which must not exist.
/// The file is complete and mode 0600 from the moment it appears: it is
/// written and fsynced under a temporary name created with O_EXCL and mode
/// 0600, then hard-linked into place (which fails if `path` exists).
/// Throws key_file_error on any failure, leaving nothing behind.
key_set create_key_file(const std::string& path);

/// Atomically replaces the key file at `path` with `keys` (after a rotation),
/// with the same guarantees as `create_key_file` except that an existing file
/// is replaced. Throws key_file_error on any failure.
void save_key_file(const std::string& path, const key_set& keys);

} // namespace idclaim::crypto
