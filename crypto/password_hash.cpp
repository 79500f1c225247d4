#include "crypto/password_hash.hpp"

#include <cstring>
#include <iterator>
#include <mutex>
#include <stdexcept>

#include <sodium.h>

namespace idclaim::crypto {

namespace {

struct cost_limits {
  unsigned long long ops;
  size_t mem;
};

cost_limits limits_of(hash_cost cost) {
  switch (cost) {
    case hash_cost::fast:
      return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
    case hash_cost::interactive:
      return {crypto_pwhash_OPSLIMIT_INTERACTIVE,
              crypto_pwhash_MEMLIMIT_INTERACTIVE};
    case hash_cost::moderate:
      return {crypto_pwhash_OPSLIMIT_MODERATE, crypto_pwhash_MEMLIMIT_MODERATE};
  }
  throw std::invalid_argument("unknown hash_cost");
}

/// Copies a stored hash into a NUL-terminated buffer as libsodium expects.
/// Returns false when it cannot be a valid hash string (too long, or with an
/// embedded NUL that would silently truncate it).
bool to_c_hash(std::string_view stored, char (&out)[crypto_pwhash_STRBYTES]) {
  if (stored.size() >= sizeof out
      || stored.find('\0') != std::string_view::npos)
    return false;
  std::memcpy(out, stored.data(), stored.size());
  out[stored.size()] = '\0';
  return true;
}

/// libsodium declares password pointers nonnull, but an empty string_view
/// may carry a null data pointer.
const char* data_of(std::string_view s) {
  return s.data() != nullptr ? s.data() : "";
}

/// A throwaway hash per cost for burn_verify_time, made on first use.
struct dummy_hash {
  std::once_flag once;
  std::string hash;
};

constexpr std::string_view dummy_password = "idclaim-no-such-user";

} // namespace

std::optional<hash_cost> parse_hash_cost(std::string_view text) {
  for (auto cost : {hash_cost::fast, hash_cost::interactive,
                    hash_cost::moderate})
    if (text == to_string(cost))
      return cost;
  return std::nullopt;
}

std::string_view to_string(hash_cost cost) {
  switch (cost) {
    case hash_cost::fast:
      return "fast";
    case hash_cost::interactive:
      return "interactive";
    case hash_cost::moderate:
      return "moderate";
  }
  return "unknown";
}

std::string hash_password(std::string_view password, hash_cost cost) {
  argon2_workspace once;
  return hash_password(password, cost, once);
}

std::string hash_password(std::string_view password, hash_cost cost,
                          argon2_workspace& workspace) {
  auto limits = limits_of(cost);
  // The same parameters crypto_pwhash_str encodes: passes = opslimit,
  // memory in KiB = memlimit / 1024, one lane.
  return workspace.hash(password, static_cast<std::uint32_t>(limits.ops),
                        static_cast<std::uint32_t>(limits.mem / 1024));
}

bool verify_password(std::string_view stored_hash, std::string_view password) {
  char hash[crypto_pwhash_STRBYTES];
  if (!to_c_hash(stored_hash, hash))
    return false;
  return crypto_pwhash_str_verify(hash, data_of(password), password.size())
         == 0;
}

bool needs_rehash(std::string_view stored, hash_cost cost) {
  // libsodium also accepts Argon2i hashes here; we want every hash to move
  // to Argon2id, so any other prefix needs a rehash too.
  constexpr std::string_view prefix = crypto_pwhash_argon2id_STRPREFIX;
  char hash[crypto_pwhash_STRBYTES];
  if (stored.substr(0, prefix.size()) != prefix || !to_c_hash(stored, hash))
    return true;
  auto limits = limits_of(cost);
  return crypto_pwhash_str_needs_rehash(hash, limits.ops, limits.mem) != 0;
}

void burn_verify_time(hash_cost cost) {
  static dummy_hash dummies[3];
  auto index = static_cast<size_t>(cost);
  if (index >= std::size(dummies))
    throw std::invalid_argument("unknown hash_cost");
  auto& dummy = dummies[index];
  bool made_now = false;
  // Making the dummy costs one Argon2id run, the same as verifying it, so
  // the very first call takes no longer than the later ones.
  std::call_once(dummy.once, [&] {
    dummy.hash = hash_password(dummy_password, cost);
    made_now = true;
  });
  if (!made_now)
    verify_password(dummy.hash, dummy_password);
}

} // namespace idclaim::crypto
