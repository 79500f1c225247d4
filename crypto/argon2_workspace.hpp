#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace idclaim::crypto {

/// The memory one Argon2id hash works in, kept from one hash to the next.
///
/// Why not libsodium's crypto_pwhash_str: it maps a fresh 64 MiB block for
/// every hash at interactive cost and unmaps it after, so each hash also
/// pays ~16,000 page faults (the kernel zeroing every page) and an unmap
/// that interrupts the process's other threads; measured in the server,
/// 39 % of a hash thread's time went to the kernel. A workspace maps its
/// block once (as huge pages where the kernel allows) and the reference
/// Argon2 library (libargon2) hashes in it. The result is the same
/// standard Argon2id string, which libsodium verifies.
///
/// One workspace serves one thread at a time (a hash worker owns one).
class argon2_workspace {
public:
  argon2_workspace() = default;
  ~argon2_workspace();
  argon2_workspace(const argon2_workspace&) = delete;
  argon2_workspace& operator=(const argon2_workspace&) = delete;

  /// Argon2id of `password` with a random 16-byte salt, `passes` passes
  /// over `memory_kib` KiB, one lane, as
  /// "$argon2id$v=19$m=<memory_kib>,t=<passes>,p=1$<salt>$<hash>" (base64
  /// without padding), the form libsodium's crypto_pwhash_str makes.
  /// Throws std::runtime_error when the memory cannot be had.
  std::string hash(std::string_view password, std::uint32_t passes,
                   std::uint32_t memory_kib);

  /// Bytes held now (0 before the first hash).
  std::size_t held_bytes() const noexcept { return size_; }

private:
  /// Makes the block at least `bytes` long.
  void reserve(std::size_t bytes);

  std::uint8_t* block_ = nullptr;
  std::size_t size_ = 0;
};

} // namespace idclaim::crypto
