#define CAF_SUITE domain.photo_check
#include <caf/test/unit_test.hpp>

#include "domain/photo_check.hpp"

#include <atomic>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tests/support/concurrently.hpp"
#include "tests/support/images.hpp"

using namespace idclaim::domain;
using idclaim::errc;
using idclaim::problem;
using namespace idclaim::testing;
using namespace std::string_literals;
using namespace std::string_view_literals;

namespace {

using result = std::variant<photo_format, problem>;

/// The format when accepted.
std::optional<photo_format> format_of(const result& r) {
  if (auto f = std::get_if<photo_format>(&r))
    return *f;
  return std::nullopt;
}

/// The code of a refusal, or nothing when accepted.
std::optional<errc> code_of(const result& r) {
  if (auto p = std::get_if<problem>(&r))
    return p->code;
  return std::nullopt;
}

std::string field_of(const result& r) {
  auto p = std::get_if<problem>(&r);
  return p != nullptr ? p->field : std::string{};
}

bool accepted_as(std::string_view bytes, photo_format expected) {
  return format_of(check_photo(bytes, "front")) == expected;
}

/// Refused as a bad format, naming the part.
bool refused_format(std::string_view bytes) {
  auto r = check_photo(bytes, "front");
  return code_of(r) == errc::photo_format && field_of(r) == "front";
}

std::string cut(std::string s, std::size_t size) {
  s.resize(size);
  return s;
}

/// The offset of the first chunk of `type` in a PNG (its length field).
std::size_t chunk_at(const std::string& png, std::string_view type) {
  auto at = png.find(type);
  CAF_REQUIRE(at != std::string::npos && at >= 4);
  return at - 4;
}

/// The offset of the first JPEG marker `0xFF marker`.
std::size_t marker_at(const std::string& jpeg, char marker) {
  auto at = jpeg.find(std::string{'\xFF', marker});
  CAF_REQUIRE(at != std::string::npos);
  return at;
}

std::size_t count(const std::string& s, std::string_view what) {
  std::size_t n = 0;
  for (auto at = s.find(what); at != std::string::npos;
       at = s.find(what, at + 1))
    ++n;
  return n;
}

/// A tiny ZIP archive (one stored file), as appended in polyglots.
std::string zip_archive() {
  std::string local{"PK\x03\x04\x14\x00\x00\x00\x00\x00", 10};
  local += std::string(16, '\0') + "a.js" + "alert(1)";
  return local + std::string{"PK\x05\x06", 4} + std::string(18, '\0');
}

} // namespace

// -- accepted photos ---------------------------------------------------------

CAF_TEST(real png jpeg and gif files are accepted with their format) {
  struct row {
    std::string name;
    std::string bytes;
    photo_format format;
  };
  std::vector<row> rows{
    {"png", make_png(64, 48), photo_format::png},
    {"1x1 png", make_png(1, 1), photo_format::png},
    {"jpeg", make_jpeg(64, 48), photo_format::jpeg},
    {"1x1 jpeg", make_jpeg(1, 1), photo_format::jpeg},
    {"progressive jpeg", make_jpeg(64, 48, true), photo_format::jpeg},
    {"jpeg with restarts", make_jpeg_with_restarts(64, 48), photo_format::jpeg},
    {"gif", make_gif(64, 48), photo_format::gif},
    {"1x1 gif", make_gif(1, 1), photo_format::gif},
    {"grey 1-bit png", make_gray_png(30, 20), photo_format::png},
  };
  for (auto& r : rows) {
    CAF_MESSAGE(r.name);
    CAF_CHECK(accepted_as(r.bytes, r.format));
  }
}

CAF_TEST(the generated jpegs exercise stuffing restarts and several scans) {
  // Without these the acceptance test above would not cover the entropy
  // scanner's special cases.
  CAF_CHECK_GREATER(count(make_jpeg(64, 48), "\xFF\x00"sv), 0u);
  CAF_CHECK_GREATER(count(make_jpeg(64, 48, true), "\xFF\xDA"), 1u);
  CAF_CHECK_GREATER(count(make_jpeg_with_restarts(64, 48), "\xFF\xD3"), 0u);
}

CAF_TEST(gif87a is accepted like gif89a) {
  auto gif = make_gif(16, 16);
  gif.replace(0, 6, "GIF87a");
  CAF_CHECK(accepted_as(gif, photo_format::gif));
  gif.replace(0, 6, "GIF89a");
  CAF_CHECK(accepted_as(gif, photo_format::gif));
}

CAF_TEST(content types name the format) {
  CAF_CHECK_EQUAL(content_type(photo_format::jpeg), "image/jpeg");
  CAF_CHECK_EQUAL(content_type(photo_format::png), "image/png");
  CAF_CHECK_EQUAL(content_type(photo_format::gif), "image/gif");
}

CAF_TEST(sniffing reads the magic bytes only) {
  CAF_CHECK(sniff_photo_format("\x89PNG\r\n\x1a\ngarbage")
            == photo_format::png);
  CAF_CHECK(sniff_photo_format("GIF89a") == photo_format::gif);
  CAF_CHECK(sniff_photo_format("GIF87a") == photo_format::gif);
  CAF_CHECK(sniff_photo_format("\xFF\xD8\xFF") == photo_format::jpeg);
  CAF_CHECK(sniff_photo_format("GIF88a") == std::nullopt);
  CAF_CHECK(sniff_photo_format("\x89PNG") == std::nullopt);
  CAF_CHECK(sniff_photo_format("\xFF\xD8") == std::nullopt);
  CAF_CHECK(sniff_photo_format("") == std::nullopt);
}

// -- size --------------------------------------------------------------------

CAF_TEST(exactly 307200 bytes are accepted in every format) {
  auto png = pad_png_to(make_png(64, 48), max_photo_bytes);
  auto jpeg = pad_jpeg_to(make_jpeg(64, 48), max_photo_bytes);
  auto gif = pad_gif_to(make_gif(64, 48), max_photo_bytes);
  CAF_CHECK_EQUAL(png.size(), 307200u);
  CAF_CHECK_EQUAL(jpeg.size(), 307200u);
  CAF_CHECK_EQUAL(gif.size(), 307200u);
  CAF_CHECK(accepted_as(png, photo_format::png));
  CAF_CHECK(accepted_as(jpeg, photo_format::jpeg));
  CAF_CHECK(accepted_as(gif, photo_format::gif));
}

CAF_TEST(307201 bytes are too large and the refusal names the part) {
  std::vector<std::string> files{
    pad_png_to(make_png(64, 48), max_photo_bytes + 1),
    pad_jpeg_to(make_jpeg(64, 48), max_photo_bytes + 1),
    pad_gif_to(make_gif(64, 48), max_photo_bytes + 1),
    std::string(1 << 20, 'x'),
  };
  for (auto& file : files) {
    for (auto part : {"front", "back"}) {
      auto r = check_photo(file, part);
      CAF_CHECK(code_of(r) == errc::photo_too_large);
      CAF_CHECK_EQUAL(field_of(r), part);
    }
  }
  CAF_CHECK_EQUAL(files[0].size(), 307201u);
}

CAF_TEST(size is judged before content) {
  auto r = check_photo(std::string(max_photo_bytes + 1, 't'), "back");
  CAF_CHECK(code_of(r) == errc::photo_too_large);
  CAF_CHECK(refused_format(std::string(max_photo_bytes, 't')));
}

CAF_TEST(an empty part is a missing photo) {
  for (auto part : {"front", "back"}) {
    auto r = check_photo("", part);
    CAF_CHECK(code_of(r) == errc::photo_missing);
    CAF_CHECK_EQUAL(field_of(r), part);
  }
}

// -- not a photo -------------------------------------------------------------

CAF_TEST(a text file is refused whatever it was called) {
  // Uploaded as "x.jpg" with Content-Type image/jpeg: check_photo never
  // sees either, only the bytes.
  CAF_CHECK(refused_format("this is a text file, renamed to x.jpg\n"));
  auto back = check_photo("plain text", "back");
  CAF_CHECK(code_of(back) == errc::photo_format);
  CAF_CHECK_EQUAL(field_of(back), "back");
}

CAF_TEST(other image and document formats are refused) {
  struct row {
    std::string name;
    std::string bytes;
  };
  std::vector<row> rows{
    {"bmp", make_other_image("bmp", 16, 16)},
    {"webp", make_other_image("webp", 16, 16)},
    {"tiff header", "II*\x00\x08\x00\x00\x00"s},
    {"pdf", "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"},
    {"svg", "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\""
            " width=\"10\" height=\"10\"><script>alert(1)</script></svg>"},
    {"html", "<html><body><script>alert(1)</script></body></html>"},
    {"zip", zip_archive()},
  };
  for (auto& r : rows) {
    CAF_MESSAGE(r.name);
    CAF_CHECK(refused_format(r.bytes));
  }
}

// -- broken and polyglot PNGs ------------------------------------------------

CAF_TEST(truncated pngs are refused) {
  auto png = make_png(64, 48);
  auto idat = chunk_at(png, "IDAT");
  CAF_CHECK(refused_format(cut(png, idat + 8 + 100)));  // inside IDAT
  CAF_CHECK(refused_format(cut(png, png.size() - 12))); // right before IEND
  CAF_CHECK(refused_format(cut(png, png.size() - 1)));  // IEND's CRC cut
  CAF_CHECK(refused_format(cut(png, 8)));               // signature only
  CAF_CHECK(refused_format(cut(png, 8 + 25)));          // IHDR only
}

CAF_TEST(a png signature followed by garbage is refused) {
  std::string fake{"\x89PNG\r\n\x1a\n"};
  CAF_CHECK(refused_format(fake + "<script>alert(1)</script>"));
  CAF_CHECK(refused_format(fake + std::string(5000, '\0')));
  CAF_CHECK(refused_format(fake + std::string(5000, '\xFF')));
}

CAF_TEST(a png with a wrong crc is refused) {
  auto png = make_png(64, 48);
  for (auto type : {"IHDR", "IDAT", "IEND"}) {
    CAF_MESSAGE(type);
    auto bad = png;
    auto at = chunk_at(png, type);
    auto crc_at = at + 8 + (std::size_t{std::uint8_t(png[at + 2])} << 8)
                  + std::uint8_t(png[at + 3]);
    bad[crc_at] ^= 0x01;
    CAF_CHECK(refused_format(bad));
  }
  // libpng would only drop an ancillary chunk with a bad CRC; we refuse.
  auto chunk = png_chunk("paDd", "hidden");
  chunk.back() ^= 0x01;
  auto with_bad_chunk = png;
  with_bad_chunk.insert(png.size() - 12, chunk);
  CAF_CHECK(refused_format(with_bad_chunk));
}

CAF_TEST(pngs with chunks out of order are refused) {
  auto png = make_png(8, 8);
  auto ihdr = png.substr(8, 25);
  auto extra = png_chunk("paDd", "x");
  // IHDR not first.
  auto late_ihdr = png;
  late_ihdr.insert(8, extra);
  CAF_CHECK(refused_format(late_ihdr));
  // IHDR twice.
  auto two_ihdr = png;
  two_ihdr.insert(8 + 25, ihdr);
  CAF_CHECK(refused_format(two_ihdr));
  // No IDAT at all.
  auto no_idat = png.substr(0, 8 + 25) + png_chunk("IEND", "");
  CAF_CHECK(refused_format(no_idat));
  // IEND with data.
  auto fat_iend = cut(png, png.size() - 12) + png_chunk("IEND", "x");
  CAF_CHECK(refused_format(fat_iend));
  // A chunk type that is not four letters.
  auto odd_type = png;
  odd_type.insert(png.size() - 12, png_chunk("pa1d", "x"));
  CAF_CHECK(refused_format(odd_type));
  // A chunk length beyond the file.
  auto long_chunk = png;
  long_chunk[chunk_at(png, "IDAT")] = '\x7f';
  CAF_CHECK(refused_format(long_chunk));
}

CAF_TEST(a png with intact chunks but undecodable pixels is refused) {
  // Every CRC is right, so only the decoder can tell.
  auto png = make_png(8, 8);
  auto idat = chunk_at(png, "IDAT");
  auto bad = png.substr(0, idat) + png_chunk("IDAT", std::string(40, '\x55'))
             + png_chunk("IEND", "");
  CAF_CHECK(refused_format(bad));
}

CAF_TEST(anything after iend is refused) {
  auto png = make_png(32, 32);
  struct row {
    std::string name;
    std::string tail;
  };
  std::vector<row> rows{
    {"one zero byte", std::string(1, '\0')},
    {"a newline", "\n"},
    {"zip archive (polyglot)", zip_archive()},
    {"html (polyglot)", "<html><script>alert(document.cookie)</script>"},
    {"a second png", make_png(4, 4)},
    {"an extra chunk", png_chunk("paDd", "late")},
  };
  for (auto& r : rows) {
    CAF_MESSAGE(r.name);
    CAF_CHECK(refused_format(png + r.tail));
  }
}

// -- broken and polyglot GIFs ------------------------------------------------

CAF_TEST(truncated gifs are refused) {
  auto gif = make_gif(64, 48);
  CAF_CHECK(refused_format(cut(gif, gif.size() - 1))); // no trailer
  CAF_CHECK(refused_format(cut(gif, gif.size() / 2))); // inside image data
  CAF_CHECK(refused_format(cut(gif, 13)));             // header only
  CAF_CHECK(refused_format(cut(gif, 6)));              // signature only
}

CAF_TEST(anything after the gif trailer is refused) {
  auto gif = make_gif(32, 32);
  CAF_CHECK(refused_format(gif + zip_archive())); // GIFAR
  CAF_CHECK(refused_format(gif + "alert(document.cookie);"));
  CAF_CHECK(refused_format(gif + std::string(1, '\0')));
}

CAF_TEST(a gif javascript polyglot is refused) {
  // "GIF89a" parses as a JavaScript identifier; the bytes that a GIF reads
  // as the screen size open a comment, and the script follows.
  std::string polyglot = "GIF89a/*\x00\x00\x00\x00*/=1;alert(1);//"s;
  polyglot += std::string{"\x2C\x00\x00\x00\x00\x01\x00\x01\x00\x00\x3B", 11};
  CAF_CHECK(refused_format(polyglot));
}

CAF_TEST(structurally wrong gifs are refused) {
  // Screen 1x1, global color table of 2 colors.
  std::string head{"GIF89a\x01\x00\x01\x00\x80\x00\x00"
                   "\x00\x00\x00\xff\xff\xff",
                   19};
  std::string frame{"\x2C\x00\x00\x00\x00\x01\x00\x01\x00\x00", 10};
  std::string pixels{"\x02\x02\x44\x01\x00", 5};
  CAF_CHECK(accepted_as(head + frame + pixels + ";", photo_format::gif));
  // No image at all.
  CAF_CHECK(refused_format(head + ";"));
  // A frame larger than the screen.
  std::string big_frame{"\x2C\x00\x00\x00\x00\x02\x00\x01\x00\x00", 10};
  CAF_CHECK(refused_format(head + big_frame + pixels + ";"));
  // LZW minimum code size out of range.
  std::string bad_code{"\x0C\x02\x44\x01\x00", 5};
  CAF_CHECK(refused_format(head + frame + bad_code + ";"));
  // An unknown block introducer.
  CAF_CHECK(refused_format(head + "\x99" + frame + pixels + ";"));
  // A zero-sized screen.
  auto zero = head;
  zero[6] = '\0';
  CAF_CHECK(refused_format(zero + frame + pixels + ";"));
}

// -- broken and polyglot JPEGs -----------------------------------------------

CAF_TEST(truncated jpegs are refused) {
  auto jpeg = make_jpeg(64, 48);
  auto sos = marker_at(jpeg, '\xDA');
  CAF_CHECK(refused_format(cut(jpeg, jpeg.size() - 2)));         // EOI cut off
  CAF_CHECK(refused_format(cut(jpeg, jpeg.size() - 1)));         // half an EOI
  CAF_CHECK(refused_format(cut(jpeg, (sos + jpeg.size()) / 2))); // mid-scan
  CAF_CHECK(refused_format(cut(jpeg, sos)));                     // headers only
  CAF_CHECK(refused_format(cut(jpeg, 3))); // SOI and a 0xFF
  auto progressive = make_jpeg(64, 48, true);
  CAF_CHECK(refused_format(cut(progressive, progressive.size() / 2)));
}

CAF_TEST(a jpeg ending early with an eoi is refused by the decoder) {
  // The segment walk is satisfied, but libjpeg finds the scan short and
  // only warns; that warning must count.
  auto jpeg = make_jpeg(64, 48);
  auto sos = marker_at(jpeg, '\xDA');
  auto early = cut(jpeg, (sos + jpeg.size()) / 2);
  while (!early.empty() && early.back() == '\xFF')
    early.pop_back();
  CAF_CHECK(refused_format(early + "\xFF\xD9"));
}

CAF_TEST(fill bytes before a marker are accepted) {
  auto jpeg = make_jpeg(32, 32);
  auto filled = cut(jpeg, jpeg.size() - 2) + "\xFF\xFF\xFF\xD9";
  CAF_CHECK(accepted_as(filled, photo_format::jpeg));
  auto sof = marker_at(jpeg, '\xC0');
  filled = jpeg;
  filled.insert(sof, "\xFF");
  CAF_CHECK(accepted_as(filled, photo_format::jpeg));
}

CAF_TEST(anything after eoi is refused) {
  auto jpeg = make_jpeg(32, 32);
  CAF_CHECK(refused_format(jpeg + zip_archive()));
  CAF_CHECK(refused_format(jpeg + "<html><script>alert(1)</script>"));
  CAF_CHECK(refused_format(jpeg + std::string(1, '\0')));
  CAF_CHECK(refused_format(jpeg + make_jpeg(4, 4)));
}

CAF_TEST(structurally wrong jpegs are refused) {
  CAF_CHECK(refused_format("\xFF\xD8\xFF\xD9"));                // no frame
  CAF_CHECK(refused_format("\xFF\xD8\xFF\xE0garbage-garbage")); // bad length
  auto jpeg = make_jpeg(16, 16);
  auto sof = marker_at(jpeg, '\xC0');
  // A segment length running past the end.
  auto long_segment = jpeg;
  long_segment[sof + 2] = '\x7f';
  CAF_CHECK(refused_format(long_segment));
  // A stray SOI inside.
  auto second_soi = jpeg;
  second_soi.insert(2, "\xFF\xD8");
  CAF_CHECK(refused_format(second_soi));
  // Scan data before any frame header.
  auto sos = marker_at(jpeg, '\xDA');
  auto no_sof = jpeg.substr(0, sof) + jpeg.substr(sos);
  CAF_CHECK(refused_format(no_sof));
}

// -- dimensions --------------------------------------------------------------

CAF_TEST(absurd dimensions are refused before decoding) {
  // IHDR claims 100000 x 100000 over 10 x 10 pixels of data.
  CAF_CHECK(refused_format(make_png_claiming(10, 10, 100000, 100000)));
  CAF_CHECK(refused_format(make_png_claiming(10, 10, 0, 10)));
  // JPEG frame header with height 0 (a DNL file) or width 20000.
  auto jpeg = make_jpeg(16, 16);
  auto sof = marker_at(jpeg, '\xC0');
  auto no_height = jpeg;
  no_height[sof + 5] = no_height[sof + 6] = '\0';
  CAF_CHECK(refused_format(no_height));
  auto wide = jpeg;
  wide[sof + 7] = '\x4e';
  wide[sof + 8] = '\x20';
  CAF_CHECK(refused_format(wide));
}

CAF_TEST(sides up to 10000 pixels and 16 megapixels are accepted) {
  struct row {
    std::uint32_t w;
    std::uint32_t h;
    bool accepted;
  };
  // These PNGs are complete and decodable: only the limits refuse them.
  std::vector<row> rows{
    {10000, 1, true},      {10001, 1, false},  {1, 10000, true},
    {1, 10001, false},     {4000, 4000, true}, {4000, 4001, false},
    {10000, 10000, false},
  };
  for (auto& r : rows) {
    CAF_MESSAGE(r.w << "x" << r.h);
    auto png = make_gray_png(r.w, r.h);
    CAF_REQUIRE_LESS_OR_EQUAL(png.size(), max_photo_bytes);
    if (r.accepted)
      CAF_CHECK(accepted_as(png, photo_format::png));
    else
      CAF_CHECK(refused_format(png));
  }
}

// -- threads -----------------------------------------------------------------

CAF_TEST(concurrent checks keep their decoder warnings apart) {
  auto good = make_jpeg(64, 48);
  auto sos = marker_at(good, '\xDA');
  auto early = cut(good, (sos + good.size()) / 2);
  while (!early.empty() && early.back() == '\xFF')
    early.pop_back();
  early += "\xFF\xD9";
  std::atomic<int> wrong{0};
  concurrently(4, [&](int i) {
    for (int round = 0; round < 20; ++round) {
      auto ok = i % 2 == 0;
      auto r = check_photo(ok ? good : early, "front");
      if (ok != format_of(r).has_value())
        ++wrong;
    }
  });
  CAF_CHECK_EQUAL(wrong.load(), 0);
}
