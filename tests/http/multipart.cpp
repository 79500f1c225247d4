#define CAF_SUITE http.multipart
#include <caf/test/unit_test.hpp>

#include "http/multipart.hpp"

#include <optional>
#include <string>
#include <variant>
#include <vector>

using namespace idclaim::http;
using idclaim::errc;
using idclaim::problem;
using namespace std::string_literals;

namespace {

// -- boundaries --------------------------------------------------------------

struct boundary_case {
  std::string title;
  std::string content_type;
  std::variant<std::string, errc> expected; ///< the boundary or the refusal
};

std::string seventy(char c) {
  return std::string(70, c);
}

std::vector<boundary_case> boundary_cases() {
  const auto bad = errc::bad_request;
  const auto unsupported = errc::unsupported_media_type;
  return {
    {"token", "multipart/form-data; boundary=abc", "abc"s},
    {"browser style", "multipart/form-data; boundary=----WebKitFormBoundary7M",
     "----WebKitFormBoundary7M"s},
    {"quoted", "multipart/form-data; boundary=\"a b:c\"", "a b:c"s},
    {"quoted with escape", "multipart/form-data; boundary=\"a\\bc\"", "abc"s},
    {"every special bchar", "multipart/form-data; boundary=\"'()+_,-./:=? x\"",
     "'()+_,-./:=? x"s},
    {"case-insensitive names", "Multipart/Form-Data; BOUNDARY=xyz", "xyz"s},
    {"blanks around ; and =", "multipart/form-data ;\tboundary = xyz ", "xyz"s},
    {"other parameters", "multipart/form-data; charset=utf-8; boundary=x",
     "x"s},
    {"empty list elements", "multipart/form-data;; boundary=x;", "x"s},
    {"70 characters", "multipart/form-data; boundary=" + seventy('b'),
     seventy('b')},
    {"71 characters", "multipart/form-data; boundary=" + seventy('b') + "b",
     bad},
    {"space last", "multipart/form-data; boundary=\"abc \"", bad},
    {"empty", "multipart/form-data; boundary=\"\"", bad},
    {"not a bchar (quoted)", "multipart/form-data; boundary=\"a@b\"", bad},
    {"not a token", "multipart/form-data; boundary=a@b", bad},
    {"unterminated quote", "multipart/form-data; boundary=\"abc", bad},
    {"repeated", "multipart/form-data; boundary=a; boundary=b", bad},
    {"no value", "multipart/form-data; boundary", bad},
    {"no boundary", "multipart/form-data", unsupported},
    {"no boundary but others", "multipart/form-data; charset=utf-8",
     unsupported},
    {"json", "application/json", unsupported},
    {"other multipart", "multipart/mixed; boundary=x", unsupported},
    {"form-urlencoded", "application/x-www-form-urlencoded", unsupported},
    {"empty header", "", unsupported},
  };
}

// -- bodies ------------------------------------------------------------------

constexpr std::string_view crlf = "\r\n";

/// What a parsed part should hold.
struct expected_part {
  std::string name;
  std::optional<std::string> filename;
  std::optional<std::string> content_type;
  std::string data;
};

struct body_case {
  std::string title;
  std::string body;
  std::optional<std::vector<expected_part>> parts; ///< nothing: refused
  std::string boundary = "XyZ";
  std::size_t max_parts = 8;
};

std::string disposition(std::string_view name) {
  return "Content-Disposition: form-data; name=\"" + std::string{name} + "\"";
}

/// One encapsulation: the delimiter line, the header lines, the blank line
/// and the data, plus the CRLF that opens the next delimiter.
std::string part(const std::string& headers, const std::string& data,
                 const std::string& boundary = "XyZ") {
  return "--" + boundary + "\r\n" + headers + "\r\n\r\n" + data + "\r\n";
}

std::string field(std::string_view name, const std::string& data) {
  return part(disposition(name), data);
}

std::string close(const std::string& boundary = "XyZ") {
  return "--" + boundary + "--\r\n";
}

/// A photo-upload style part, as browsers send it.
std::string file(std::string_view name, const std::string& filename,
                 const std::string& data) {
  return part(disposition(name) + "; filename=\"" + filename
                + "\"\r\nContent-Type: image/jpeg",
              data);
}

std::vector<expected_part> one(std::string name, std::string data) {
  return {{std::move(name), std::nullopt, std::nullopt, std::move(data)}};
}

std::string many_fields(int n) {
  std::string body;
  for (int i = 0; i < n; ++i)
    body += field("f" + std::to_string(i), "v");
  return body + close();
}

std::vector<expected_part> many_parts(int n) {
  std::vector<expected_part> parts;
  for (int i = 0; i < n; ++i)
    parts.push_back({"f" + std::to_string(i), std::nullopt, std::nullopt, "v"});
  return parts;
}

/// A body cut off in the middle of its only part's data.
std::string truncated_in_data() {
  auto body = field("a", "123");
  body.resize(body.find("123") + 2);
  return body;
}

std::vector<body_case> body_cases() {
  const std::string binary = "\x00\x01\xFF\xFE\r\x0A\n\r--X\x00"s;
  const std::string special = "'()+_,-./:=? x";
  const std::nullopt_t refused = std::nullopt;
  return {
    // -- accepted -------------------------------------------------------------
    {"two photos as a browser sends them",
     file("front", "a.jpg", "FRONT") + file("back", "b.png", "BACK") + close(),
     std::vector<expected_part>{{"front", "a.jpg"s, "image/jpeg"s, "FRONT"},
                                {"back", "b.png"s, "image/jpeg"s, "BACK"}}},
    {"preamble and epilogue",
     "This is the preamble.\r\nIt mentions --XyZ mid-line.\r\n"
       + field("a", "1") + close() + "This is the epilogue.\r\n--XyZ\r\n",
     one("a", "1")},
    {"a CRLF before the first delimiter", "\r\n" + field("a", "1") + close(),
     one("a", "1")},
    {"transport padding on delimiter lines",
     "--XyZ \t\r\n" + disposition("a") + "\r\n\r\n1\r\n--XyZ  \r\n"
       + disposition("b") + "\r\n\r\n2\r\n--XyZ-- \r\n",
     std::vector<expected_part>{{"a", std::nullopt, std::nullopt, "1"},
                                {"b", std::nullopt, std::nullopt, "2"}}},
    {"no epilogue CRLF", field("a", "1") + "--XyZ--", one("a", "1")},
    {"boundary inside data without CRLF in front",
     field("a", "x--XyZ\n--XyZ\r--XyZ --XyZ--") + close(),
     one("a", "x--XyZ\n--XyZ\r--XyZ --XyZ--")},
    {"a near miss of the delimiter", field("a", "1\r\n--XyY") + close(),
     one("a", "1\r\n--XyY")},
    {"empty part body", field("a", "") + field("b", "2") + close(),
     std::vector<expected_part>{{"a", std::nullopt, std::nullopt, ""},
                                {"b", std::nullopt, std::nullopt, "2"}}},
    {"a part with no body at all",
     "--XyZ\r\n" + disposition("a") + "\r\n\r\n--XyZ--\r\n", one("a", "")},
    {"binary data with NUL and lone CR/LF", field("a", binary) + close(),
     one("a", binary)},
    {"data ending in CRLF", field("a", "line\r\n") + close(),
     one("a", "line\r\n")},
    {"only the close delimiter", close(), std::vector<expected_part>{}},
    {"special characters in the boundary",
     part(disposition("a"), "1", special) + close(special), one("a", "1"),
     special},
    {"unquoted name and filename",
     part("Content-Disposition: form-data; name=front; filename=x.jpg", "1")
       + close(),
     std::vector<expected_part>{{"front", "x.jpg"s, std::nullopt, "1"}}},
    {"filename with escaped quote and backslash",
     part(disposition("a") + "; filename=\"a\\\"b\\\\c.jpg\"", "1") + close(),
     std::vector<expected_part>{{"a", "a\"b\\c.jpg"s, std::nullopt, "1"}}},
    {"utf-8 filename",
     part(disposition("a") + "; filename=\"身份证.jpg\"", "1") + close(),
     std::vector<expected_part>{{"a", "身份证.jpg"s, std::nullopt, "1"}}},
    {"empty filename kept",
     part(disposition("a") + "; filename=\"\"", "") + close(),
     std::vector<expected_part>{{"a", ""s, std::nullopt, ""}}},
    {"case-insensitive header and parameter names",
     part("CONTENT-DISPOSITION: Form-Data; NAME=\"a\"; FileName=\"x\"\r\n"
          "content-type: image/png",
          "1")
       + close(),
     std::vector<expected_part>{{"a", "x"s, "image/png"s, "1"}}},
    {"blanks in the disposition",
     part("Content-Disposition:form-data ;name = \"a\" ;  filename=x", "1")
       + close(),
     std::vector<expected_part>{{"a", "x"s, std::nullopt, "1"}}},
    {"other headers ignored",
     part(disposition("a")
            + "\r\nContent-Transfer-Encoding: binary\r\n"
              "X-Extra: 1",
          "1")
       + close(),
     one("a", "1")},
    {"header block at the limit",
     part(disposition("a") + "\r\nX-Pad: "
            + std::string(
              max_multipart_header_bytes - disposition("a").size() - 9, 'p'),
          "1")
       + close(),
     one("a", "1")},
    {"exactly max_parts parts", many_fields(8), many_parts(8)},
    // -- refused --------------------------------------------------------------
    {"empty body", "", refused},
    {"LF-only line endings", "--XyZ\n" + disposition("a") + "\n\n1\n--XyZ--\n",
     refused},
    {"LF-only header lines",
     "--XyZ\r\n" + disposition("a") + "\nContent-Type: x\r\n\r\n1\r\n"
       + close(),
     refused},
    {"missing close delimiter", field("a", "1"), refused},
    {"delimiter without close dashes", field("a", "1") + "--XyZ", refused},
    {"close delimiter with one dash", field("a", "1") + "--XyZ-\r\n", refused},
    {"truncated in the data", truncated_in_data(), refused},
    {"truncated in the headers", "--XyZ\r\nContent-Disposition: form-da",
     refused},
    {"no delimiter at all", "just text", refused},
    {"first delimiter line with junk",
     "--XyZjunk\r\n" + disposition("a") + "\r\n\r\n1\r\n" + close(), refused},
    {"delimiter line with junk inside data",
     field("a", "1\r\n--XyZjunk") + close(), refused},
    {"duplicate names", field("a", "1") + field("a", "2") + close(), refused},
    {"too many parts", many_fields(9), refused},
    {"too many for a lower limit", many_fields(2), refused, "XyZ", 1},
    {"missing name",
     part("Content-Disposition: form-data; filename=\"x.jpg\"", "1") + close(),
     refused},
    {"empty name", field("", "1") + close(), refused},
    {"no Content-Disposition", part("Content-Type: image/png", "1") + close(),
     refused},
    {"no headers at all", "--XyZ\r\n\r\n1\r\n" + close(), refused},
    {"disposition not form-data",
     part("Content-Disposition: attachment; name=\"a\"", "1") + close(),
     refused},
    {"two Content-Disposition headers",
     part(disposition("a") + "\r\n" + disposition("b"), "1") + close(),
     refused},
    {"two Content-Type headers",
     part(disposition("a") + "\r\nContent-Type: a/b\r\nContent-Type: c/d", "1")
       + close(),
     refused},
    {"repeated disposition parameter",
     part(disposition("a") + "; name=\"b\"", "1") + close(), refused},
    {"header block too big",
     part(disposition("a") + "\r\nX-Pad: "
            + std::string(
              max_multipart_header_bytes - disposition("a").size() - 8, 'p'),
          "1")
       + close(),
     refused},
    {"endless header block",
     "--XyZ\r\n" + disposition("a") + "\r\nX: " + std::string(20000, 'h'),
     refused},
    {"folded header line",
     part(disposition("a") + ";\r\n filename=\"x\"", "1") + close(), refused},
    {"header line without colon",
     part(disposition("a") + "\r\nNoColonHere", "1") + close(), refused},
    {"blank before the colon",
     part("Content-Disposition : form-data; name=\"a\"", "1") + close(),
     refused},
    {"unterminated quoted name",
     part("Content-Disposition: form-data; name=\"a", "1") + close(), refused},
    {"control character in a quoted value",
     part(disposition("a") + "; filename=\"a\x01.jpg\"", "1") + close(),
     refused},
    {"NUL in a header",
     part(disposition("a") + "\r\nX-Bad: a\x00"s + "b", "1") + close(),
     refused},
    {"invalid boundary argument", field("a", "1") + close(), refused, ""},
    {"boundary argument too long", close(seventy('b') + "b"), refused,
     seventy('b') + "b"},
  };
}

std::string describe(const std::optional<std::string>& s) {
  return s ? "\"" + *s + "\"" : "none";
}

} // namespace

CAF_TEST(boundaries are read from the content type) {
  for (auto& c : boundary_cases()) {
    CAF_MESSAGE(c.title);
    auto result = multipart_boundary(c.content_type);
    if (auto boundary = std::get_if<std::string>(&c.expected)) {
      auto got = std::get_if<std::string>(&result);
      CAF_CHECK(got != nullptr);
      if (got != nullptr)
        CAF_CHECK_EQUAL(*got, *boundary);
    } else {
      auto got = std::get_if<problem>(&result);
      CAF_CHECK(got != nullptr);
      if (got != nullptr) {
        CAF_CHECK(got->code == std::get<errc>(c.expected));
        CAF_CHECK_EQUAL(got->field, "");
      }
    }
  }
}

CAF_TEST(bodies are split into parts or refused as bad requests) {
  auto cases = body_cases();
  CAF_CHECK_GREATER_OR_EQUAL(cases.size(), 25u);
  for (auto& c : cases) {
    CAF_MESSAGE(c.title);
    auto result = parse_multipart(c.body, c.boundary, c.max_parts);
    if (!c.parts) {
      auto got = std::get_if<problem>(&result);
      CAF_CHECK(got != nullptr);
      if (got != nullptr) {
        CAF_CHECK(got->code == errc::bad_request);
        CAF_CHECK_EQUAL(got->field, "");
      }
      continue;
    }
    auto got = std::get_if<std::vector<multipart_part>>(&result);
    CAF_CHECK(got != nullptr);
    if (got == nullptr)
      continue;
    CAF_CHECK_EQUAL(got->size(), c.parts->size());
    for (std::size_t i = 0; i < std::min(got->size(), c.parts->size()); ++i) {
      auto& want = (*c.parts)[i];
      auto& have = (*got)[i];
      CAF_CHECK_EQUAL(have.name, want.name);
      CAF_CHECK_EQUAL(describe(have.filename), describe(want.filename));
      CAF_CHECK_EQUAL(describe(have.content_type), describe(want.content_type));
      CAF_CHECK_EQUAL(std::string{have.data}, want.data);
    }
  }
}

CAF_TEST(part data are views into the body) {
  auto body = file("front", "a.jpg", "FRONT") + close();
  auto result = parse_multipart(body, "XyZ");
  auto parts = std::get_if<std::vector<multipart_part>>(&result);
  CAF_REQUIRE(parts != nullptr && parts->size() == 1);
  auto data = parts->front().data;
  CAF_CHECK(data.data() >= body.data()
            && data.data() + data.size() <= body.data() + body.size());
  CAF_CHECK_EQUAL(data, "FRONT");
}

CAF_TEST(a boundary read from the header parses its body) {
  std::string boundary = "'()+_,-./:=? x";
  auto content_type = "multipart/form-data; boundary=\"" + boundary + "\"";
  auto read = multipart_boundary(content_type);
  CAF_REQUIRE(std::holds_alternative<std::string>(read));
  auto body = part(disposition("back"), "B", boundary) + close(boundary);
  auto result = parse_multipart(body, std::get<std::string>(read));
  auto parts = std::get_if<std::vector<multipart_part>>(&result);
  CAF_REQUIRE(parts != nullptr);
  auto back = find_part(*parts, "back");
  CAF_REQUIRE(back != nullptr);
  CAF_CHECK_EQUAL(back->data, "B");
}

CAF_TEST(parts are found by exact name) {
  auto body = field("front", "F") + field("back", "B") + close();
  auto result = parse_multipart(body, "XyZ");
  auto parts = std::get_if<std::vector<multipart_part>>(&result);
  CAF_REQUIRE(parts != nullptr);
  CAF_REQUIRE(find_part(*parts, "front") != nullptr);
  CAF_CHECK_EQUAL(find_part(*parts, "front")->data, "F");
  CAF_CHECK_EQUAL(find_part(*parts, "back")->data, "B");
  CAF_CHECK(find_part(*parts, "Front") == nullptr);
  CAF_CHECK(find_part(*parts, "side") == nullptr);
}
