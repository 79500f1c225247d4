#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <variant>

#include "domain/errors.hpp"

namespace idclaim::domain {

/// The image formats a review photo may have (SPEC §5: jpg/jpeg/png/gif).
enum class photo_format { jpeg, png, gif };

/// The media type to serve a photo of format `f` with, e.g. "image/png".
std::string_view content_type(photo_format f);

/// The largest photo accepted: 300 KB (SPEC §5).
constexpr std::size_t max_photo_bytes = 307200;

/// The widest or tallest photo accepted, in pixels.
constexpr std::uint32_t max_photo_side = 10000;

/// The most pixels a photo may have. Decoding allocates by pixel count, so
/// this bounds the memory a small, highly compressed file can demand.
constexpr std::uint64_t max_photo_pixels = 16'000'000;

/// Tells the format from the leading magic bytes alone; nothing when they
/// are not those of a PNG, GIF or JPEG. Says nothing about the rest.
std::optional<photo_format> sniff_photo_format(std::string_view bytes);

/// Checks the bytes of the review photo sent as part `part` ("front" or
/// "back"). Only the content counts, never a file name or declared type.
/// Refuses, naming `part` as the field: no bytes with 422 PHOTO_MISSING;
/// more than max_photo_bytes with 413 PHOTO_TOO_LARGE; and with 422
/// PHOTO_FORMAT anything whose magic bytes are not PNG, GIF or JPEG, whose
/// structure is incomplete or has bytes after the image's end (PNG: chunk
/// lengths and CRCs, IHDR first, IEND last; GIF: blocks up to the trailer;
/// JPEG: segments and entropy-coded data up to EOI), whose dimensions are
/// 0 or beyond max_photo_side / max_photo_pixels (checked before decoding),
/// or that libgd cannot decode (for JPEG, libjpeg's corrupt-data warnings
/// count as failures). Thread-safe.
std::variant<photo_format, idclaim::problem> check_photo(std::string_view bytes,
                                                         std::string_view part);

} // namespace idclaim::domain
