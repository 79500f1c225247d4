#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "crypto/argon2_workspace.hpp"

namespace idclaim::crypto {

/// How expensive an Argon2id password hash is. `interactive` is the
/// production default; `fast` is for tests and benchmarks only, since it
/// gives almost no protection against offline guessing.
enum class hash_cost {
  fast,        ///< libsodium's minimum limits (about 30 µs)
  interactive, ///< *_INTERACTIVE limits, 64 MiB (about 100 ms)
  moderate,    ///< *_MODERATE limits, 256 MiB
};

/// Parses "fast", "interactive" or "moderate".
std::optional<hash_cost> parse_hash_cost(std::string_view text);

/// The name `parse_hash_cost` accepts for `cost`.
std::string_view to_string(hash_cost cost);

/// Hashes `password` with Argon2id at `cost`, with a random salt, into
/// libsodium's self-describing string ("$argon2id$v=19$m=...").
/// Throws std::runtime_error when the memory for the hash is unavailable.
std::string hash_password(std::string_view password, hash_cost cost);

/// The same, in `workspace`'s memory: what the hash threads use, so that a
/// hash maps no memory of its own (see argon2_workspace).
std::string hash_password(std::string_view password, hash_cost cost,
                          argon2_workspace& workspace);

/// Checks `password` against a hash from `hash_password` (at any cost).
/// Returns false for a wrong password and for a malformed hash.
bool verify_password(std::string_view stored_hash, std::string_view password);

/// True when `stored` was not made by Argon2id at exactly `cost` (or is
/// malformed), so the caller should store a fresh hash after the next
/// successful login.
bool needs_rehash(std::string_view stored, hash_cost cost);

/// Spends about as long as `verify_password` on a hash of `cost`, for logins
/// naming an unknown user: without it, the fast "no such user" answer would
/// tell an attacker which usernames exist.
/// Throws std::runtime_error when the memory for the hash is unavailable.
void burn_verify_time(hash_cost cost);

} // namespace idclaim::crypto
