#include "crypto/tokens.hpp"

#include <stdexcept>

#include <sodium.h>

namespace idclaim::crypto {

namespace {

constexpr size_t token_bytes = 32;
constexpr int token_variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

static_assert(sodium_base64_ENCODED_LEN(token_bytes, token_variant)
              == token_length + 1);

} // namespace

std::string random_token() {
  unsigned char raw[token_bytes];
  randombytes_buf(raw, sizeof raw);
  char text[token_length + 1];
  sodium_bin2base64(text, sizeof text, raw, sizeof raw, token_variant);
  std::string token(text, token_length);
  sodium_memzero(raw, sizeof raw);
  sodium_memzero(text, sizeof text);
  return token;
}

std::string token_digest(std::string_view token) {
  std::string out(crypto_generichash_BYTES, '\0');
  crypto_generichash(reinterpret_cast<unsigned char*>(out.data()), out.size(),
                     reinterpret_cast<const unsigned char*>(token.data()),
                     token.size(), nullptr, 0);
  return out;
}

std::string random_digits(int n) {
  if (n < 0)
    throw std::invalid_argument("random_digits: negative length");
  std::string digits(static_cast<size_t>(n), '0');
  // randombytes_uniform rejects biased samples, so each digit is uniform.
  for (auto& digit : digits)
    digit = static_cast<char>('0' + randombytes_uniform(10));
  return digits;
}

} // namespace idclaim::crypto
