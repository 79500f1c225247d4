#include "crypto/field_cipher.hpp"

#include <stdexcept>
#include <utility>

#include <sodium.h>

namespace idclaim::crypto {

namespace {

constexpr size_t header_size = 2;
constexpr size_t nonce_size = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr size_t tag_size = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr size_t prefix_size = header_size + nonce_size;

static_assert(field_cipher::overhead == prefix_size + tag_size);
static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == secret_key::size);

const unsigned char* bytes_of(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

/// The associated data: the header, then the context. The header has a
/// fixed size, so the concatenation is unambiguous.
std::string associated_data(uint8_t version, uint8_t id,
                            std::string_view context) {
  std::string ad;
  ad.reserve(header_size + context.size());
  ad.push_back(static_cast<char>(version));
  ad.push_back(static_cast<char>(id));
  ad.append(context);
  return ad;
}

} // namespace

field_cipher::field_cipher(std::shared_ptr<const key_set> keys)
  : keys_(std::make_shared<const key_source>(std::move(keys))) {
  // nop
}

field_cipher::field_cipher(std::shared_ptr<const key_source> keys)
  : keys_(std::move(keys)) {
  if (!keys_)
    throw std::invalid_argument("field_cipher needs a key source");
}

key_id field_cipher::current_key_id() const {
  return keys_->current()->current_encryption_id();
}

std::string field_cipher::seal(std::string_view plaintext,
                               std::string_view context) const {
  // One snapshot for the whole operation: the id in the header and the key
  // must come from the same set.
  auto keys = keys_->current();
  auto id = keys->current_encryption_id();
  std::string out(overhead + plaintext.size(), '\0');
  auto* raw = reinterpret_cast<unsigned char*>(out.data());
  raw[0] = format_version;
  raw[1] = id;
  randombytes_buf(raw + header_size, nonce_size);
  auto ad = associated_data(format_version, id, context);
  crypto_aead_xchacha20poly1305_ietf_encrypt(
    raw + prefix_size, nullptr, bytes_of(plaintext), plaintext.size(),
    bytes_of(ad), ad.size(), nullptr, raw + header_size,
    keys->current_encryption_key().data());
  return out;
}

std::optional<std::string> field_cipher::open(std::string_view sealed,
                                              std::string_view context) const {
  if (sealed.size() < overhead)
    return std::nullopt;
  auto* raw = bytes_of(sealed);
  if (raw[0] != format_version)
    return std::nullopt;
  auto keys = keys_->current();
  auto* key = keys->encryption_key(raw[1]);
  // A key we do not know may be one another process has just added.
  if (key == nullptr && keys_->reload_if_changed()) {
    keys = keys_->current();
    key = keys->encryption_key(raw[1]);
  }
  if (key == nullptr)
    return std::nullopt;
  auto ad = associated_data(raw[0], raw[1], context);
  std::string plain(sealed.size() - overhead, '\0');
  auto rc = crypto_aead_xchacha20poly1305_ietf_decrypt(
    reinterpret_cast<unsigned char*>(plain.data()), nullptr, nullptr,
    raw + prefix_size, sealed.size() - prefix_size, bytes_of(ad), ad.size(),
    raw + header_size, key->data());
  if (rc != 0)
    return std::nullopt;
  return plain;
}

uint8_t field_cipher::key_id_of(std::string_view sealed) const {
  if (sealed.size() < overhead)
    throw std::invalid_argument("sealed value is too short");
  if (static_cast<uint8_t>(sealed[0]) != format_version)
    throw std::invalid_argument("sealed value has an unknown format version");
  return static_cast<uint8_t>(sealed[1]);
}

} // namespace idclaim::crypto
