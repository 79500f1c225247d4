#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace idclaim::testing {

/// A w×h true-colour PNG drawn and encoded by libgd.
/// @throws std::runtime_error when libgd fails.
std::string make_png(int w, int h);

/// A w×h baseline JPEG (quality 90) drawn and encoded by libgd; set
/// `progressive` for a progressive one with several scans.
/// @throws std::runtime_error when libgd fails.
std::string make_jpeg(int w, int h, bool progressive = false);

/// A w×h JPEG encoded by libjpeg with a restart marker after every MCU,
/// which libgd cannot produce.
std::string make_jpeg_with_restarts(int w, int h);

/// A w×h GIF drawn and encoded by libgd.
/// @throws std::runtime_error when libgd fails.
std::string make_gif(int w, int h);

/// A w×h image in a format that is not allowed for photos ("bmp" or
/// "webp"), drawn and encoded by libgd.
/// @throws std::invalid_argument for another format name and
///         std::runtime_error when libgd fails.
std::string make_other_image(std::string_view format, int w, int h);

/// A 1-bit greyscale w×h PNG built by hand (zlib only, all black), so huge
/// dimensions stay small and cheap to make.
std::string make_gray_png(std::uint32_t w, std::uint32_t h);

/// Like make_gray_png(data_w, data_h), but IHDR claims `ihdr_w`×`ihdr_h`:
/// a PNG whose header lies about its size.
std::string make_png_claiming(std::uint32_t data_w, std::uint32_t data_h,
                              std::uint32_t ihdr_w, std::uint32_t ihdr_h);

/// One PNG chunk: length, type, data and a correct CRC-32.
std::string png_chunk(std::string_view type, std::string_view data);

/// Inserts a private ancillary chunk ("paDd", correct CRC) before IEND so
/// that `png` stays a valid PNG of exactly `exact_size` bytes.
/// @throws std::invalid_argument when `png` has no IEND or is too large to
///         grow to `exact_size` (a chunk adds at least 12 bytes).
std::string pad_png_to(std::string png, std::size_t exact_size);

/// Inserts COM segments (each at most 65,535 bytes long) after SOI so that
/// `jpeg` stays a valid JPEG of exactly `exact_size` bytes.
/// @throws std::invalid_argument when it cannot grow by 4 bytes or more.
std::string pad_jpeg_to(std::string jpeg, std::size_t exact_size);

/// Inserts a comment extension before the trailer so that `gif` stays a
/// valid GIF of exactly `exact_size` bytes.
/// @throws std::invalid_argument when it cannot grow by 3 bytes or more,
///         or by exactly 4 (no comment block has that size).
std::string pad_gif_to(std::string gif, std::size_t exact_size);

} // namespace idclaim::testing
