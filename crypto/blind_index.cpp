#include "crypto/blind_index.hpp"

#include <cstdint>
#include <stdexcept>
#include <utility>

#include <sodium.h>

namespace idclaim::crypto {

namespace {

static_assert(blind_index::size == crypto_generichash_BYTES);
static_assert(secret_key::size >= crypto_generichash_KEYBYTES_MIN
              && secret_key::size <= crypto_generichash_KEYBYTES_MAX);

void update(crypto_generichash_state& state, std::string_view bytes) {
  crypto_generichash_update(
    &state, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

/// Encodes `n` as 8 bytes little-endian, fixed regardless of the platform.
std::string length_prefix(size_t n) {
  std::string out(8, '\0');
  auto value = static_cast<uint64_t>(n);
  for (auto& byte : out) {
    byte = static_cast<char>(value & 0xff);
    value >>= 8;
  }
  return out;
}

} // namespace

blind_index::blind_index(std::shared_ptr<const key_set> keys)
  : keys_(std::make_shared<const key_source>(std::move(keys))) {
  // nop
}

blind_index::blind_index(std::shared_ptr<const key_source> keys)
  : keys_(std::move(keys)) {
  if (!keys_)
    throw std::invalid_argument("blind_index needs a key source");
}

std::vector<std::string> index_values::all() const {
  std::vector<std::string> out{current};
  if (!other.empty())
    out.push_back(other);
  return out;
}

std::string blind_index::compute(std::string_view domain,
                                 std::string_view value) const {
  auto keys = keys_->current();
  return compute_with(keys->index_key(), domain, value);
}

index_values blind_index::compute_all(std::string_view domain,
                                      std::string_view value) const {
  // One snapshot for both, so `current` and `other` belong together.
  auto keys = keys_->current();
  index_values out;
  out.current = compute_with(keys->index_key(), domain, value);
  for (auto id : keys->index_ids())
    if (id != keys->index_key_id())
      out.other = compute_with(*keys->index_key(id), domain, value);
  return out;
}

bool blind_index::rotating() const {
  return keys_->current()->index_ids().size() > 1;
}

std::string blind_index::compute_with(const secret_key& key,
                                      std::string_view domain,
                                      std::string_view value) {
  crypto_generichash_state state;
  crypto_generichash_init(&state, key.data(), secret_key::size, size);
  update(state, length_prefix(domain.size()));
  update(state, domain);
  update(state, value);
  std::string out(size, '\0');
  crypto_generichash_final(&state, reinterpret_cast<unsigned char*>(out.data()),
                           size);
  // The state holds key-derived material.
  sodium_memzero(&state, sizeof state);
  return out;
}

} // namespace idclaim::crypto
