#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "domain/errors.hpp"

namespace idclaim::http {

/// One part of a multipart/form-data body (RFC 7578).
struct multipart_part {
  std::string name;                        ///< the form field name
  std::optional<std::string> filename;     ///< as sent; may be ""
  std::optional<std::string> content_type; ///< the part's raw Content-Type
  std::string_view data; ///< the part's bytes, a view into the parsed body
};

/// The longest boundary RFC 2046 allows.
constexpr std::size_t max_multipart_boundary = 70;

/// The most bytes the header block of one part may take, so a client cannot
/// make us scan a whole photo for the end of its headers.
constexpr std::size_t max_multipart_header_bytes = 8192;

/// Reads the boundary from a Content-Type value such as
/// `multipart/form-data; boundary="a b"`. Media type and parameter names
/// are case-insensitive, values are tokens or quoted strings with backslash
/// escapes, and blanks around `;` and `=` are allowed. Yields 415
/// UNSUPPORTED_MEDIA_TYPE when the media type is not multipart/form-data or
/// there is no boundary, and 400 BAD_REQUEST when the value is malformed,
/// repeats a parameter, or the boundary is not 1-70 RFC 2046 `bchars`
/// ending in a non-space.
std::variant<std::string, idclaim::problem>
multipart_boundary(std::string_view content_type);

/// Splits a multipart/form-data body at `boundary` (RFC 2046 §5.1.1,
/// RFC 7578). A preamble and an epilogue are ignored; a delimiter line may
/// carry spaces or tabs before its CRLF. Line breaks must be CRLF: a body
/// with bare LF line ends is refused rather than guessed at. Each part needs
/// a `Content-Disposition: form-data; name=...` header; its `filename` and
/// `Content-Type` are optional and other headers are ignored. A body with
/// only the close delimiter yields no parts. Part data are views into
/// `body`, which must outlive them. Yields 400 BAD_REQUEST (no field) when
/// the close delimiter is missing, a delimiter line is malformed, a header
/// is malformed or folded, a part's header block exceeds
/// max_multipart_header_bytes, there are more than `max_parts` parts, or
/// two parts share a name.
std::variant<std::vector<multipart_part>, idclaim::problem>
parse_multipart(std::string_view body, std::string_view boundary,
                std::size_t max_parts = 8);

/// Finds the part called `name` (names are case-sensitive), or nullptr.
const multipart_part* find_part(const std::vector<multipart_part>& parts,
                                std::string_view name);

} // namespace idclaim::http
