#include "domain/photo_check.hpp"

#include <cstdarg>
#include <cstring>
#include <string>

#include <gd.h>
#include <gd_errors.h>
#include <zlib.h>

namespace idclaim::domain {

namespace {

using idclaim::errc;
using idclaim::make_problem;

constexpr std::string_view png_signature = "\x89PNG\r\n\x1a\n";

/// Width and height as the file's header claims them.
struct dimensions {
  std::uint32_t width = 0;
  std::uint32_t height = 0;
};

// -- reading bytes -----------------------------------------------------------

std::uint8_t u8(std::string_view s, std::size_t i) {
  return static_cast<std::uint8_t>(s[i]);
}

std::uint32_t be16(std::string_view s, std::size_t i) {
  return (std::uint32_t{u8(s, i)} << 8) | u8(s, i + 1);
}

std::uint32_t be32(std::string_view s, std::size_t i) {
  return (be16(s, i) << 16) | be16(s, i + 2);
}

std::uint32_t le16(std::string_view s, std::size_t i) {
  return (std::uint32_t{u8(s, i + 1)} << 8) | u8(s, i);
}

bool is_ascii_letter(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// -- PNG ---------------------------------------------------------------------

/// Walks the chunks after the signature: each length within the file, each
/// type four letters, each CRC right, IHDR first, at least one IDAT, and
/// IEND last with nothing after it.
std::optional<dimensions> walk_png(std::string_view s) {
  std::size_t pos = png_signature.size();
  std::optional<dimensions> dims;
  bool seen_idat = false;
  while (s.size() - pos >= 12) {
    auto length = be32(s, pos);
    if (length > 0x7fffffffu || length > s.size() - pos - 12)
      return std::nullopt;
    auto type = s.substr(pos + 4, 4);
    for (auto c : type)
      if (!is_ascii_letter(c))
        return std::nullopt;
    // The CRC covers type and data, which lie next to each other.
    auto covered = reinterpret_cast<const Bytef*>(s.data() + pos + 4);
    if (crc32(0L, covered, length + 4) != be32(s, pos + 8 + length))
      return std::nullopt;
    if (!dims) {
      if (type != "IHDR" || length != 13)
        return std::nullopt;
      dims = dimensions{be32(s, pos + 8), be32(s, pos + 12)};
    } else if (type == "IHDR") {
      return std::nullopt;
    }
    seen_idat = seen_idat || type == "IDAT";
    pos += 12 + std::size_t{length};
    if (type == "IEND") {
      if (length != 0 || pos != s.size() || !seen_idat)
        return std::nullopt;
      return dims;
    }
  }
  return std::nullopt; // truncated: no IEND
}

// -- GIF ---------------------------------------------------------------------

/// Skips a color table of `packed`'s size if its flag is set.
bool skip_color_table(std::string_view s, std::size_t& pos,
                      std::uint8_t packed) {
  if ((packed & 0x80) == 0)
    return true;
  std::size_t size = 3 * (std::size_t{2} << (packed & 0x07));
  if (size > s.size() - pos)
    return false;
  pos += size;
  return true;
}

/// Skips data sub-blocks up to and including the empty one ending them.
bool skip_sub_blocks(std::string_view s, std::size_t& pos) {
  for (;;) {
    if (pos >= s.size())
      return false;
    std::size_t n = u8(s, pos++);
    if (n == 0)
      return true;
    if (n > s.size() - pos)
      return false;
    pos += n;
  }
}

/// Reads an image descriptor (after its 0x2C), its color table and its
/// image data. Frames must lie inside the logical screen (libgd insists)
/// and have a color table of their own or a global one.
bool walk_gif_image(std::string_view s, std::size_t& pos, dimensions screen,
                    bool global_table) {
  if (s.size() - pos < 10)
    return false;
  auto left = le16(s, pos);
  auto top = le16(s, pos + 2);
  auto width = le16(s, pos + 4);
  auto height = le16(s, pos + 6);
  auto packed = u8(s, pos + 8);
  pos += 9;
  if (width == 0 || height == 0 || left + width > screen.width
      || top + height > screen.height)
    return false;
  if ((packed & 0x80) == 0 && !global_table)
    return false;
  if (!skip_color_table(s, pos, packed) || pos >= s.size())
    return false;
  // The LZW minimum code size is 2..8 (GIF89a appendix F).
  auto code_size = u8(s, pos++);
  if (code_size < 2 || code_size > 8)
    return false;
  return skip_sub_blocks(s, pos);
}

/// Walks header, logical screen descriptor, global color table and the
/// blocks up to the trailer 0x3B, which must be the last byte.
std::optional<dimensions> walk_gif(std::string_view s) {
  if (s.size() < 13)
    return std::nullopt;
  dimensions screen{le16(s, 6), le16(s, 8)};
  auto packed = u8(s, 10);
  std::size_t pos = 13;
  if (!skip_color_table(s, pos, packed))
    return std::nullopt;
  bool global_table = (packed & 0x80) != 0;
  int images = 0;
  while (pos < s.size()) {
    switch (u8(s, pos++)) {
    case 0x3B: // trailer
      if (pos != s.size() || images == 0)
        return std::nullopt;
      return screen;
    case 0x21: // extension: label, then sub-blocks
      if (pos >= s.size())
        return std::nullopt;
      ++pos;
      if (!skip_sub_blocks(s, pos))
        return std::nullopt;
      break;
    case 0x2C: // image descriptor
      if (!walk_gif_image(s, pos, screen, global_table))
        return std::nullopt;
      ++images;
      break;
    default:
      return std::nullopt;
    }
  }
  return std::nullopt; // truncated: no trailer
}

// -- JPEG --------------------------------------------------------------------

bool is_rst(std::uint8_t marker) {
  return marker >= 0xD0 && marker <= 0xD7;
}

/// SOF0..SOF15 but DHT (C4), JPG (C8) and DAC (CC).
bool is_sof(std::uint8_t marker) {
  return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8
         && marker != 0xCC;
}

/// Skips entropy-coded data from `pos` to the next marker: 0xFF00 is a
/// stuffed 0xFF and RSTn markers belong to the data. Leaves `pos` on the
/// marker's first 0xFF (fill bytes, if any, are the caller's to skip).
bool skip_entropy_coded(std::string_view s, std::size_t& pos) {
  for (;;) {
    auto ff = s.find('\xFF', pos);
    if (ff == std::string_view::npos || ff + 1 >= s.size())
      return false;
    auto next = u8(s, ff + 1);
    if (next != 0x00 && !is_rst(next)) {
      pos = ff;
      return true;
    }
    pos = ff + 2;
  }
}

/// Walks SOI, the marker segments (each length within the file), one
/// frame header, every scan's entropy-coded data, and EOI as the last two
/// bytes. Progressive files have several scans with tables between them.
std::optional<dimensions> walk_jpeg(std::string_view s) {
  if (s.size() < 4 || u8(s, 0) != 0xFF || u8(s, 1) != 0xD8)
    return std::nullopt;
  std::size_t pos = 2;
  std::optional<dimensions> dims;
  bool seen_scan = false;
  for (;;) {
    if (pos >= s.size() || u8(s, pos) != 0xFF)
      return std::nullopt;
    while (pos < s.size() && u8(s, pos) == 0xFF)
      ++pos; // fill bytes
    if (pos >= s.size())
      return std::nullopt;
    auto marker = u8(s, pos++);
    if (marker == 0xD9) { // EOI
      if (pos != s.size() || !seen_scan)
        return std::nullopt;
      return dims;
    }
    // SOI again, a stray RSTn, TEM or a stuffed zero: not a valid stream.
    if (marker == 0x00 || marker == 0x01 || marker == 0xD8 || is_rst(marker))
      return std::nullopt;
    if (s.size() - pos < 2)
      return std::nullopt;
    auto length = be16(s, pos);
    if (length < 2 || length > s.size() - pos)
      return std::nullopt;
    if (is_sof(marker)) {
      if (dims || length < 8)
        return std::nullopt;
      dims = dimensions{be16(s, pos + 5), be16(s, pos + 3)};
    }
    pos += length;
    if (marker == 0xDA) { // SOS: entropy-coded data follow
      if (!dims || !skip_entropy_coded(s, pos))
        return std::nullopt;
      seen_scan = true;
    }
  }
}

// -- decoding ----------------------------------------------------------------

/// How many warnings or errors libgd reported on this thread. libgd's error
/// callback takes no user data, so this is how a decode learns of them;
/// thread_local keeps concurrent checks apart.
int& gd_complaints() {
  thread_local int count = 0;
  return count;
}

void on_gd_message(int priority, const char*, va_list) {
  // Count instead of printing: bad uploads must not spam stderr.
  if (priority <= GD_WARNING)
    ++gd_complaints();
}

/// Installs on_gd_message once; a function-local static initialiser is
/// thread-safe, so concurrent first checks cannot race on it.
void install_gd_error_method() {
  static const bool installed = [] {
    gdSetErrorMethod(on_gd_message);
    return true;
  }();
  (void)installed;
}

/// Decodes with libgd and frees the image. libjpeg only warns about a
/// truncated or corrupt JPEG and gd then returns an image anyway, so for
/// JPEG a warning is a failure too. (PNG warnings are not: libpng warns
/// about harmless things such as an inexact sRGB profile.)
bool decodes(photo_format format, std::string_view bytes) {
  install_gd_error_method();
  gd_complaints() = 0;
  auto size = static_cast<int>(bytes.size());
  // libgd reads through a non-owning dynamic context and never writes.
  auto data = const_cast<char*>(bytes.data());
  gdImagePtr image = nullptr;
  switch (format) {
  case photo_format::png:
    image = gdImageCreateFromPngPtr(size, data);
    break;
  case photo_format::gif:
    image = gdImageCreateFromGifPtr(size, data);
    break;
  case photo_format::jpeg:
    image = gdImageCreateFromJpegPtrEx(size, data, 0);
    break;
  }
  if (image == nullptr)
    return false;
  gdImageDestroy(image);
  return format != photo_format::jpeg || gd_complaints() == 0;
}

bool sane(dimensions d) {
  return d.width > 0 && d.height > 0 && d.width <= max_photo_side
         && d.height <= max_photo_side
         && std::uint64_t{d.width} * d.height <= max_photo_pixels;
}

std::optional<dimensions> walk(photo_format format, std::string_view bytes) {
  switch (format) {
  case photo_format::png:
    return walk_png(bytes);
  case photo_format::gif:
    return walk_gif(bytes);
  case photo_format::jpeg:
    return walk_jpeg(bytes);
  }
  return std::nullopt;
}

} // namespace

std::string_view content_type(photo_format f) {
  switch (f) {
  case photo_format::jpeg:
    return "image/jpeg";
  case photo_format::png:
    return "image/png";
  case photo_format::gif:
    return "image/gif";
  }
  return "application/octet-stream";
}

std::optional<photo_format> sniff_photo_format(std::string_view bytes) {
  auto starts = [bytes](std::string_view magic) {
    return bytes.substr(0, magic.size()) == magic;
  };
  if (starts(png_signature))
    return photo_format::png;
  if (starts("GIF87a") || starts("GIF89a"))
    return photo_format::gif;
  if (starts("\xFF\xD8\xFF"))
    return photo_format::jpeg;
  return std::nullopt;
}

std::variant<photo_format, idclaim::problem>
check_photo(std::string_view bytes, std::string_view part) {
  std::string field{part};
  if (bytes.empty())
    return make_problem(errc::photo_missing, std::move(field));
  if (bytes.size() > max_photo_bytes)
    return make_problem(errc::photo_too_large, std::move(field));
  auto format = sniff_photo_format(bytes);
  if (!format)
    return make_problem(errc::photo_format, std::move(field));
  // Dimensions are checked before decoding so that a tiny file claiming a
  // huge image never makes libgd allocate for it.
  auto dims = walk(*format, bytes);
  if (!dims || !sane(*dims) || !decodes(*format, bytes))
    return make_problem(errc::photo_format, std::move(field));
  return *format;
}

} // namespace idclaim::domain
