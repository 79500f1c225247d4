#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace idclaim::crypto {

/// Encodes raw bytes as lower-case hex, two characters per byte.
std::string to_hex(std::string_view bytes);

/// Decodes hex (either case) back to raw bytes. Returns nothing for an odd
/// length or any character that is not a hex digit, so callers never act on
/// a half-decoded value.
std::optional<std::string> from_hex(std::string_view hex);

} // namespace idclaim::crypto
