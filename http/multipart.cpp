#include "http/multipart.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

namespace idclaim::http {

namespace {

using idclaim::errc;
using idclaim::make_problem;

constexpr std::string_view crlf = "\r\n";

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

/// RFC 7230 `tchar`.
bool is_token_char(char c) {
  auto u = static_cast<unsigned char>(c);
  if (std::isalnum(u))
    return true;
  return std::string_view{"!#$%&'*+-.^_`|~"}.find(c) != std::string_view::npos;
}

/// RFC 2046 `bchars`: the characters a boundary may hold.
bool is_boundary_char(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u < 0x80 && std::isalnum(u))
    return true;
  return std::string_view{"'()+_,-./:=? "}.find(c) != std::string_view::npos;
}

std::string to_lower(std::string_view s) {
  std::string out{s};
  for (auto& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back()))
    s.remove_suffix(1);
  return s;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// -- header values with parameters -------------------------------------------

/// A parameter of a header value; the name is lower-cased.
struct parameter {
  std::string name;
  std::string value;
};

/// `value *( ";" name "=" value )`, e.g. a Content-Type or a
/// Content-Disposition. The main value is lower-cased.
struct header_value {
  std::string value;
  std::vector<parameter> parameters;

  /// The value of parameter `name` (lower case), or nullptr.
  const std::string* find(std::string_view name) const {
    for (auto& p : parameters)
      if (p.name == name)
        return &p.value;
    return nullptr;
  }
};

/// A cursor over a header value; every reader returns false on bad input.
class value_reader {
public:
  explicit value_reader(std::string_view in) : in_(in) {}

  bool at_end() const { return pos_ == in_.size(); }

  void skip_blanks() {
    while (!at_end() && is_blank(in_[pos_]))
      ++pos_;
  }

  bool consume(char c) {
    if (at_end() || in_[pos_] != c)
      return false;
    ++pos_;
    return true;
  }

  /// A token; `extra` names characters accepted besides `tchar`.
  bool token(std::string& out, std::string_view extra = {}) {
    auto first = pos_;
    while (!at_end()
           && (is_token_char(in_[pos_])
               || extra.find(in_[pos_]) != std::string_view::npos))
      ++pos_;
    out.assign(in_.substr(first, pos_ - first));
    return pos_ > first;
  }

  /// An RFC 7230 quoted-string, unescaped; control characters other than
  /// HTAB are refused, so no CR, LF or NUL can hide inside.
  bool quoted_string(std::string& out) {
    if (!consume('"'))
      return false;
    out.clear();
    while (!at_end()) {
      auto c = in_[pos_++];
      if (c == '"')
        return true;
      if (c == '\\') {
        if (at_end())
          return false;
        c = in_[pos_++];
      }
      auto u = static_cast<unsigned char>(c);
      if ((u < 0x20 && c != '\t') || u == 0x7f)
        return false;
      out.push_back(c);
    }
    return false;
  }

  bool token_or_quoted(std::string& out) {
    if (!at_end() && in_[pos_] == '"')
      return quoted_string(out);
    return token(out);
  }

private:
  std::string_view in_;
  std::size_t pos_ = 0;
};

/// Parses `value *( OWS ";" OWS name OWS "=" OWS value ) OWS`. Empty list
/// elements (`;;`, a trailing `;`) are tolerated; a repeated parameter is
/// not, because the two readings would be ambiguous.
std::optional<header_value> parse_header_value(std::string_view in) {
  value_reader r{in};
  header_value result;
  r.skip_blanks();
  // '/' joins type and subtype in a media type.
  if (!r.token(result.value, "/"))
    return std::nullopt;
  result.value = to_lower(result.value);
  for (;;) {
    r.skip_blanks();
    if (r.at_end())
      return result;
    if (!r.consume(';'))
      return std::nullopt;
    r.skip_blanks();
    while (r.consume(';'))
      r.skip_blanks();
    if (r.at_end())
      return result;
    parameter p;
    if (!r.token(p.name))
      return std::nullopt;
    p.name = to_lower(p.name);
    r.skip_blanks();
    if (!r.consume('='))
      return std::nullopt;
    r.skip_blanks();
    if (!r.token_or_quoted(p.value))
      return std::nullopt;
    if (result.find(p.name) != nullptr)
      return std::nullopt;
    result.parameters.push_back(std::move(p));
  }
}

bool valid_boundary(std::string_view b) {
  return !b.empty() && b.size() <= max_multipart_boundary && b.back() != ' '
         && std::all_of(b.begin(), b.end(), is_boundary_char);
}

// -- the body ----------------------------------------------------------------

idclaim::problem malformed() {
  return make_problem(errc::bad_request);
}

/// The headers of one part that we read.
struct part_headers {
  std::optional<header_value> disposition;
  std::optional<std::string> content_type;
};

/// Parses one header line into `out`; false when it is malformed.
bool parse_header_line(std::string_view line, part_headers& out) {
  // Bare CR or LF would mean LF-only line ends; NUL has no business here.
  if (line.find_first_of(std::string_view{"\r\n\0", 3})
      != std::string_view::npos)
    return false;
  // The name is a token right up to the colon, so a line starting with a
  // blank (obsolete folding, RFC 7230 §3.2.4) or with a blank before the
  // colon is refused too.
  auto colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0)
    return false;
  auto name = line.substr(0, colon);
  if (!std::all_of(name.begin(), name.end(), is_token_char))
    return false;
  auto value = trim(line.substr(colon + 1));
  auto lower = to_lower(name);
  if (lower == "content-disposition") {
    if (out.disposition)
      return false;
    out.disposition = parse_header_value(value);
    return out.disposition.has_value();
  }
  if (lower == "content-type") {
    if (out.content_type)
      return false;
    out.content_type = std::string{value};
  }
  return true;
}

/// Parses a header block (lines without the blank line that ends it) into a
/// part, leaving its data empty.
std::optional<multipart_part> parse_part_headers(std::string_view block) {
  part_headers headers;
  while (!block.empty()) {
    auto end = block.find(crlf);
    auto line = block.substr(0, end);
    if (!parse_header_line(line, headers))
      return std::nullopt;
    block = end == std::string_view::npos ? std::string_view{}
                                          : block.substr(end + crlf.size());
  }
  auto& disposition = headers.disposition;
  if (!disposition || disposition->value != "form-data")
    return std::nullopt;
  auto name = disposition->find("name");
  if (name == nullptr || name->empty())
    return std::nullopt;
  multipart_part part;
  part.name = *name;
  if (auto filename = disposition->find("filename"))
    part.filename = *filename;
  part.content_type = std::move(headers.content_type);
  return part;
}

/// Finds the end of a part's header block starting at `body[pos]`: returns
/// the block (without its final CRLF CRLF) and moves `pos` past it.
std::optional<std::string_view> header_block(std::string_view body,
                                             std::size_t& pos) {
  // No headers at all: the part begins with the blank line.
  if (starts_with(body.substr(pos), crlf)) {
    pos += crlf.size();
    return std::string_view{};
  }
  auto window = body.substr(pos, max_multipart_header_bytes + 4);
  auto end = window.find("\r\n\r\n");
  if (end == std::string_view::npos)
    return std::nullopt;
  pos += end + 4;
  return window.substr(0, end);
}

} // namespace

std::variant<std::string, idclaim::problem>
multipart_boundary(std::string_view content_type) {
  auto value = parse_header_value(content_type);
  if (!value) {
    // Unparsable. Only a value that at least starts as a form's media type
    // is a malformed form header; anything else is simply not a form.
    value_reader r{content_type};
    std::string type;
    r.skip_blanks();
    if (!r.token(type, "/") || to_lower(type) != "multipart/form-data")
      return make_problem(errc::unsupported_media_type);
    return malformed();
  }
  if (value->value != "multipart/form-data")
    return make_problem(errc::unsupported_media_type);
  auto boundary = value->find("boundary");
  if (boundary == nullptr)
    return make_problem(errc::unsupported_media_type);
  if (!valid_boundary(*boundary))
    return malformed();
  return *boundary;
}

std::variant<std::vector<multipart_part>, idclaim::problem>
parse_multipart(std::string_view body, std::string_view boundary,
                std::size_t max_parts) {
  if (!valid_boundary(boundary))
    return malformed();
  std::string dash_boundary = "--";
  dash_boundary += boundary;
  std::string delimiter = "\r\n" + dash_boundary;

  // The first delimiter opens the body or follows the preamble's last CRLF.
  // As RFC 2046 says, a line that merely starts with the boundary counts as
  // a delimiter, so whatever follows it on that line must be well formed.
  std::size_t pos;
  if (starts_with(body, dash_boundary)) {
    pos = dash_boundary.size();
  } else {
    auto found = body.find(delimiter);
    if (found == std::string_view::npos)
      return malformed();
    pos = found + delimiter.size();
  }

  std::vector<multipart_part> parts;
  for (;;) {
    // `pos` is just past a "--boundary".
    if (starts_with(body.substr(pos), "--"))
      return parts; // the close delimiter; the epilogue is ignored
    while (pos < body.size() && is_blank(body[pos]))
      ++pos; // transport padding
    if (!starts_with(body.substr(pos), crlf))
      return malformed();
    pos += crlf.size();
    if (parts.size() == max_parts)
      return malformed();
    auto block = header_block(body, pos);
    if (!block)
      return malformed();
    auto part = parse_part_headers(*block);
    if (!part || find_part(parts, part->name) != nullptr)
      return malformed();
    // Data run up to the CRLF that starts the next delimiter; a boundary
    // without that CRLF in front is just data. The search starts at the
    // CRLF ending the header block: a part may omit its body altogether
    // (RFC 2046 `body-part := MIME-part-headers [CRLF *OCTET]`), and then
    // that CRLF is the delimiter's.
    auto next = body.find(delimiter, pos - crlf.size());
    if (next == std::string_view::npos)
      return malformed();
    part->data = next < pos ? std::string_view{} : body.substr(pos, next - pos);
    parts.push_back(std::move(*part));
    pos = next + delimiter.size();
  }
}

const multipart_part* find_part(const std::vector<multipart_part>& parts,
                                std::string_view name) {
  for (auto& part : parts)
    if (part.name == name)
      return &part;
  return nullptr;
}

} // namespace idclaim::http
