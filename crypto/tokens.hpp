#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace idclaim::crypto {

/// Length in characters of a token from `random_token`.
constexpr size_t token_length = 43;

/// A fresh bearer token (sessions, links): 32 random bytes as URL-safe
/// base64 without padding, so it fits cookies and URLs unescaped.
std::string random_token();

/// The 32 raw bytes the database stores instead of a token: unkeyed
/// BLAKE2b-256. A leaked table then yields no usable tokens, and no key is
/// needed because 256-bit random tokens cannot be guessed from a digest.
std::string token_digest(std::string_view token);

/// `n` uniformly random decimal digits (SMS codes). Leading zeros are kept,
/// so every code of length `n` is equally likely. Throws
/// std::invalid_argument for a negative `n`.
std::string random_digits(int n);

} // namespace idclaim::crypto
