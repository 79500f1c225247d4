// Fuzzes the review-photo check: the input is the bytes of the "front" part.
// A second pass wraps them in a multipart body, as an upload sends them,
// and checks that the parser hands back exactly those bytes.

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "domain/photo_check.hpp"
#include "fuzz/fuzz_support.hpp"
#include "http/multipart.hpp"

using namespace idclaim;
using namespace idclaim::domain;

namespace {

constexpr std::string_view boundary = "fuzz-photo-boundary-7MA4YWxkTrZu0gW";

void check_result(std::string_view bytes,
                  const std::variant<photo_format, problem>& result) {
  if (auto format = std::get_if<photo_format>(&result)) {
    auto sniffed = sniff_photo_format(bytes);
    fuzz::require(sniffed && *sniffed == *format,
                  "accepted as another format than its magic bytes");
    fuzz::require(bytes.size() <= max_photo_bytes, "accepted a large photo");
    fuzz::require(!content_type(*format).empty(), "no content type");
    return;
  }
  auto& p = std::get<problem>(result);
  fuzz::require(p.field == "front", "photo problem names another field");
  fuzz::require(p.code == errc::photo_missing || p.code == errc::photo_too_large
                  || p.code == errc::photo_format,
                "photo refused with an unexpected code");
}

/// The bytes as the only part of a multipart body.
std::string wrap(std::string_view bytes) {
  std::string body = "--";
  body += boundary;
  body += "\r\nContent-Disposition: form-data; name=\"front\"; "
          "filename=\"front.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n";
  body += bytes;
  body += "\r\n--";
  body += boundary;
  body += "--\r\n";
  return body;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  auto bytes = fuzz::as_text(data, size);
  auto result = check_photo(bytes, "front");
  check_result(bytes, result);
  // The delimiter inside the data would legitimately end the part early,
  // and so would its dashes and boundary at the start, right after the
  // CRLF that ends the part's headers.
  std::string delimiter = "\r\n--";
  delimiter += boundary;
  if (bytes.find(delimiter) != std::string_view::npos
      || bytes.substr(0, delimiter.size() - 2) == delimiter.substr(2))
    return 0;
  auto body = wrap(bytes);
  auto parsed = http::parse_multipart(body, boundary);
  auto parts = std::get_if<std::vector<http::multipart_part>>(&parsed);
  fuzz::require(parts != nullptr && parts->size() == 1,
                "a well-formed upload did not parse");
  fuzz::require((*parts)[0].data == bytes, "the part's bytes changed");
  return 0;
}
