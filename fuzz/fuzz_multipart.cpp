// Fuzzes the multipart/form-data parser. The first line of the input is the
// Content-Type header value, the rest is the body. The parts are then
// handled as POST /api/v1/reviews would: front and back through the photo
// check.

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "domain/photo_check.hpp"
#include "fuzz/fuzz_support.hpp"
#include "http/multipart.hpp"

using namespace idclaim;
using namespace idclaim::http;

namespace {

/// Every part must lie inside the body and be findable by its unique name.
void check_parts(std::string_view body,
                 const std::vector<multipart_part>& parts,
                 std::size_t max_parts) {
  fuzz::require(parts.size() <= max_parts, "more parts than max_parts");
  std::set<std::string> names;
  for (auto& part : parts) {
    fuzz::require(!part.name.empty(), "part without a name");
    fuzz::require(names.insert(part.name).second, "two parts share a name");
    fuzz::require(find_part(parts, part.name) == &part, "find_part misses");
    if (!part.data.empty())
      fuzz::require(part.data.data() >= body.data()
                      && part.data.data() + part.data.size()
                           <= body.data() + body.size(),
                    "part data outside the body");
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  auto [content_type, body] = fuzz::split_first_line(fuzz::as_text(data, size));
  auto boundary = multipart_boundary(content_type);
  if (auto p = std::get_if<problem>(&boundary)) {
    fuzz::require(p->code == errc::unsupported_media_type
                    || p->code == errc::bad_request,
                  "boundary refused with an unexpected code");
    return 0;
  }
  auto& b = std::get<std::string>(boundary);
  fuzz::require(!b.empty() && b.size() <= max_multipart_boundary,
                "boundary length out of range");
  for (std::size_t max_parts : {std::size_t{8}, std::size_t{2}}) {
    auto parsed = parse_multipart(body, b, max_parts);
    if (auto p = std::get_if<problem>(&parsed)) {
      fuzz::require(p->code == errc::bad_request, "body refused, not 400");
      continue;
    }
    auto& parts = std::get<std::vector<multipart_part>>(parsed);
    check_parts(body, parts, max_parts);
    if (max_parts == 8)
      for (auto name : {"front", "back"})
        if (auto part = find_part(parts, name))
          (void)domain::check_photo(part->data, name);
  }
  return 0;
}
