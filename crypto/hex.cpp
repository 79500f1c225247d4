#include "crypto/hex.hpp"

#include <sodium.h>

namespace idclaim::crypto {

std::string to_hex(std::string_view bytes) {
  // sodium_bin2hex writes a terminating NUL, hence the extra byte that is
  // trimmed afterwards. It runs in constant time, which matters when the
  // bytes are key material.
  std::string hex(bytes.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(),
                 reinterpret_cast<const unsigned char*>(bytes.data()),
                 bytes.size());
  hex.pop_back();
  return hex;
}

std::optional<std::string> from_hex(std::string_view hex) {
  if (hex.empty())
    return std::string{};
  if (hex.size() % 2 != 0)
    return std::nullopt;
  std::string bytes(hex.size() / 2, '\0');
  size_t written = 0;
  const char* end = nullptr;
  // Passing `end` makes libsodium stop at the first bad character instead
  // of failing outright; comparing it to the input end catches that case.
  auto rc = sodium_hex2bin(reinterpret_cast<unsigned char*>(bytes.data()),
                           bytes.size(), hex.data(), hex.size(), nullptr,
                           &written, &end);
  if (rc != 0 || end != hex.data() + hex.size() || written != bytes.size())
    return std::nullopt;
  return bytes;
}

} // namespace idclaim::crypto
