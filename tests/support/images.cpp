#include "tests/support/images.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <vector>

#include <gd.h>
#include <jpeglib.h>
#include <zlib.h>

namespace idclaim::testing {

namespace {

struct image_deleter {
  void operator()(gdImagePtr image) const { gdImageDestroy(image); }
};

using image_ptr = std::unique_ptr<gdImage, image_deleter>;

/// A picture with a gradient, noise (so JPEG data hold stuffed 0xFF bytes)
/// and a few shapes, drawn the same way every time.
image_ptr draw(int w, int h) {
  image_ptr image{gdImageCreateTrueColor(w, h)};
  if (!image)
    throw std::runtime_error("gdImageCreateTrueColor failed");
  std::uint32_t noise = 12345;
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      noise = noise * 1103515245u + 12345u;
      auto n = static_cast<int>((noise >> 16) & 0x3f);
      gdImageSetPixel(image.get(), x, y,
                      gdTrueColor((x * 255 / w + n) % 256,
                                  (y * 255 / h + n) % 256, (n * 4) % 256));
    }
  auto white = gdTrueColor(255, 255, 255);
  gdImageFilledEllipse(image.get(), w / 2, h / 2, w / 2, h / 2, white);
  gdImageLine(image.get(), 0, 0, w - 1, h - 1, gdTrueColor(0, 0, 0));
  return image;
}

/// Runs an encoder of libgd's (which reports the size through a pointer)
/// and copies and frees the buffer it allocated.
template <class Encode>
std::string take(Encode encode) {
  int size = 0;
  void* data = encode(size);
  if (data == nullptr || size <= 0)
    throw std::runtime_error("libgd could not encode the image");
  std::string out(static_cast<const char*>(data),
                  static_cast<std::size_t>(size));
  gdFree(data);
  return out;
}

void put_be32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((v >> shift) & 0xff));
}

} // namespace

std::string make_png(int w, int h) {
  auto image = draw(w, h);
  return take([&](int& size) { return gdImagePngPtr(image.get(), &size); });
}

std::string make_jpeg(int w, int h, bool progressive) {
  auto image = draw(w, h);
  // libgd writes a progressive JPEG for an interlaced image.
  gdImageInterlace(image.get(), progressive ? 1 : 0);
  return take(
    [&](int& size) { return gdImageJpegPtr(image.get(), &size, 90); });
}

std::string make_jpeg_with_restarts(int w, int h) {
  jpeg_compress_struct cinfo{};
  jpeg_error_mgr jerr{};
  cinfo.err = jpeg_std_error(&jerr);
  jpeg_create_compress(&cinfo);
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  jpeg_mem_dest(&cinfo, &buffer, &size);
  cinfo.image_width = static_cast<JDIMENSION>(w);
  cinfo.image_height = static_cast<JDIMENSION>(h);
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, 90, TRUE);
  cinfo.restart_interval = 1;
  jpeg_start_compress(&cinfo, TRUE);
  std::vector<JSAMPLE> row(static_cast<std::size_t>(w) * 3);
  while (cinfo.next_scanline < cinfo.image_height) {
    for (int x = 0; x < w; ++x) {
      auto y = static_cast<int>(cinfo.next_scanline);
      row[x * 3] = static_cast<JSAMPLE>((x * 7 + y) % 256);
      row[x * 3 + 1] = static_cast<JSAMPLE>((y * 5) % 256);
      row[x * 3 + 2] = static_cast<JSAMPLE>((x * y) % 256);
    }
    JSAMPROW rows[1] = {row.data()};
    jpeg_write_scanlines(&cinfo, rows, 1);
  }
  jpeg_finish_compress(&cinfo);
  jpeg_destroy_compress(&cinfo);
  std::string out(reinterpret_cast<const char*>(buffer), size);
  std::free(buffer);
  return out;
}

std::string make_gif(int w, int h) {
  auto image = draw(w, h);
  return take([&](int& size) { return gdImageGifPtr(image.get(), &size); });
}

std::string make_other_image(std::string_view format, int w, int h) {
  auto image = draw(w, h);
  if (format == "bmp")
    return take(
      [&](int& size) { return gdImageBmpPtr(image.get(), &size, 0); });
  if (format == "webp")
    return take([&](int& size) { return gdImageWebpPtr(image.get(), &size); });
  throw std::invalid_argument("make_other_image: unknown format");
}

std::string png_chunk(std::string_view type, std::string_view data) {
  std::string out;
  put_be32(out, static_cast<std::uint32_t>(data.size()));
  out += type;
  out += data;
  auto crc = crc32(0L, reinterpret_cast<const Bytef*>(out.data() + 4),
                   static_cast<uInt>(type.size() + data.size()));
  put_be32(out, static_cast<std::uint32_t>(crc));
  return out;
}

std::string make_gray_png(std::uint32_t w, std::uint32_t h) {
  return make_png_claiming(w, h, w, h);
}

std::string make_png_claiming(std::uint32_t w, std::uint32_t h,
                              std::uint32_t ihdr_w, std::uint32_t ihdr_h) {
  std::string ihdr;
  put_be32(ihdr, ihdr_w);
  put_be32(ihdr, ihdr_h);
  ihdr += std::string{"\x01\x00\x00\x00\x00", 5}; // 1 bit, grey, no interlace
  // Each row: filter type 0, then ceil(w / 8) bytes of black pixels.
  std::string raw(std::size_t{h} * (1 + (w + 7) / 8), '\0');
  auto bound = compressBound(static_cast<uLong>(raw.size()));
  std::string idat(bound, '\0');
  auto out_size = bound;
  if (compress2(reinterpret_cast<Bytef*>(idat.data()), &out_size,
                reinterpret_cast<const Bytef*>(raw.data()),
                static_cast<uLong>(raw.size()), 9)
      != Z_OK)
    throw std::runtime_error("compress2 failed");
  idat.resize(out_size);
  return std::string{"\x89PNG\r\n\x1a\n"} + png_chunk("IHDR", ihdr)
         + png_chunk("IDAT", idat) + png_chunk("IEND", "");
}

std::string pad_png_to(std::string png, std::size_t exact_size) {
  constexpr std::size_t iend_size = 12;
  if (png.size() < iend_size || png.compare(png.size() - 8, 4, "IEND") != 0)
    throw std::invalid_argument("pad_png_to: no IEND at the end");
  if (exact_size < png.size() + 12)
    throw std::invalid_argument("pad_png_to: cannot grow by < 12 bytes");
  // "paDd": ancillary, private, reserved bit clear, safe to copy.
  std::string fill(exact_size - png.size() - 12, 'p');
  png.insert(png.size() - iend_size, png_chunk("paDd", fill));
  return png;
}

std::string pad_jpeg_to(std::string jpeg, std::size_t exact_size) {
  if (jpeg.size() < 2 || exact_size < jpeg.size() + 4)
    throw std::invalid_argument("pad_jpeg_to: cannot grow by < 4 bytes");
  auto need = exact_size - jpeg.size();
  std::string segments;
  while (need > 0) {
    std::size_t piece = std::min<std::size_t>(need, 65535 + 2);
    if (need - piece > 0 && need - piece < 4)
      piece = need - 4; // leave room for one more whole segment
    auto length = piece - 2;
    segments += "\xFF\xFE";
    segments.push_back(static_cast<char>(length >> 8));
    segments.push_back(static_cast<char>(length & 0xff));
    segments.append(piece - 4, 'c');
    need -= piece;
  }
  jpeg.insert(2, segments);
  return jpeg;
}

std::string pad_gif_to(std::string gif, std::size_t exact_size) {
  if (gif.empty() || gif.back() != '\x3B')
    throw std::invalid_argument("pad_gif_to: no trailer at the end");
  if (exact_size < gif.size() + 3 || exact_size == gif.size() + 4)
    throw std::invalid_argument("pad_gif_to: cannot grow by that much");
  auto rest = exact_size - gif.size() - 3; // 21 FE ... 00
  std::string comment = "\x21\xFE";
  while (rest > 0) {
    std::size_t piece = std::min<std::size_t>(rest, 256);
    if (rest - piece == 1)
      --piece; // a sub-block takes at least 2 bytes
    comment.push_back(static_cast<char>(piece - 1));
    comment.append(piece - 1, 'g');
    rest -= piece;
  }
  comment.push_back('\0');
  gif.insert(gif.size() - 1, comment);
  return gif;
}

} // namespace idclaim::testing
