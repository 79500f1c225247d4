#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/key_set.hpp"
#include "crypto/key_source.hpp"

namespace idclaim::crypto {

/// Encrypts single database fields (names, ID numbers, mobiles, photos) with
/// XChaCha20-Poly1305.
///
/// A sealed value is `version (1) | key id (1) | nonce (24) | ciphertext +
/// tag (16)`, as raw bytes. The key id lets values sealed before a key
/// rotation still be opened; the random 192-bit nonce is safe to draw per
/// value without any counter. The caller's `context` (e.g. "claim.id_number")
/// and the two header bytes are authenticated as associated data, so a value
/// copied into another column, or with an edited header, fails to open.
///
/// Thread-safe: all members are const and share only the immutable key set.
class field_cipher {
public:
  /// The format version written by `seal`.
  static constexpr uint8_t format_version = 1;

  /// Bytes a sealed value adds to its plaintext.
  static constexpr size_t overhead = 2 + 24 + 16;

  /// Uses `keys` for every operation; the set must not change afterwards.
  explicit field_cipher(std::shared_ptr<const key_set> keys);

  /// Takes the keys from `keys` at each operation, so a key rotation is
  /// seen without a new cipher (see docs/key-rotation.md).
  explicit field_cipher(std::shared_ptr<const key_source> keys);

  /// Encrypts `plaintext` under the current encryption key, bound to
  /// `context`.
  std::string seal(std::string_view plaintext, std::string_view context) const;

  /// Decrypts a value from `seal`. Returns nothing when the value is
  /// malformed, of an unknown version, sealed under a key this set does not
  /// hold (after re-reading a changed key file once: another process may
  /// have rotated), tampered with, or sealed for another context.
  std::optional<std::string> open(std::string_view sealed,
                                  std::string_view context) const;

  /// The id of the key `sealed` was sealed under, so a rotation can find
  /// values still under an old key. Throws std::invalid_argument when
  /// `sealed` is too short or of an unknown version.
  uint8_t key_id_of(std::string_view sealed) const;

  /// The id of the key `seal` uses now.
  key_id current_key_id() const;

  /// The key source behind this cipher.
  const std::shared_ptr<const key_source>& keys() const noexcept {
    return keys_;
  }

private:
  std::shared_ptr<const key_source> keys_;
};

} // namespace idclaim::crypto
