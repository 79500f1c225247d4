// Fuzzes request-target handling: the input is a request target
// ("/api/v1/inbox/7?limit=5"). It is split, its query parsed, its path
// percent-decoded and looked up, for every method, in the service's own
// router (build_router, so the patterns are exactly the served ones, which
// tests/http/openapi_routes.cpp holds equal to docs/openapi.yaml).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <variant>

#include <boost/beast/http/verb.hpp>

#include "fuzz/fuzz_support.hpp"
#include "http/api_routes.hpp"
#include "http/query.hpp"
#include "http/router.hpp"

using namespace idclaim;
using namespace idclaim::http;

namespace bh = boost::beast::http;

namespace {

/// Every route of the service, with --test-clock so that all exist, and a
/// fallback as the server sets one for the static UI. No handler runs.
const router& routes() {
  static const std::shared_ptr<router> r = [] {
    auto ctx = std::make_shared<api_context>();
    ctx->test_clock = std::make_shared<adjustable_clock>();
    auto r = build_router(ctx);
    r->set_fallback([](request_ptr, reply_fn) {});
    return r;
  }();
  return *r;
}

std::size_t count_params(const std::string& pattern) {
  std::size_t n = 0;
  for (auto c : pattern)
    n += c == '{';
  return n;
}

void check_match(const router::match& m, bh::verb method) {
  if (m.route == nullptr) {
    fuzz::require(m.error == errc::not_found
                    || m.error == errc::method_not_allowed,
                  "no route, but neither 404 nor 405");
    fuzz::require(m.error == errc::not_found || !m.allowed.empty(),
                  "405 without allowed methods");
    return;
  }
  if (m.route->pattern == "*") {
    fuzz::require(method == bh::verb::get, "fallback for a non-GET");
    return;
  }
  fuzz::require(m.route->method == method, "route of another method");
  fuzz::require(m.params.size() == count_params(m.route->pattern),
                "not every path parameter bound");
  for (auto& [name, value] : m.params) {
    fuzz::require(!value.empty(), "empty path parameter");
    if (auto n = parse_count(value))
      fuzz::require(*n >= 0, "negative count");
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  auto target = fuzz::as_text(data, size);
  auto [path, query] = split_target(target);
  fuzz::require(path.size() + query.size() <= target.size(),
                "split_target grew the target");
  if (auto params = parse_query(query)) {
    for (auto& [name, value] : *params)
      fuzz::require(name.size() <= query.size() && value.size() <= query.size(),
                    "a decoded query piece grew");
    // As GET /api/v1/me/login-log?limit=&before= reads them.
    auto limit = query_count(*params, "limit", 20, 100);
    if (auto n = std::get_if<std::int64_t>(&limit))
      fuzz::require(*n >= 0 && *n <= 100, "limit out of range");
    (void)query_count(*params, "before", 0, INT64_MAX);
  }
  for (bool plus : {false, true})
    if (auto decoded = percent_decode(target, plus))
      fuzz::require(decoded->size() <= target.size(), "decoding grew");
  for (auto method : {bh::verb::get, bh::verb::head, bh::verb::post,
                      bh::verb::put, bh::verb::delete_, bh::verb::patch})
    check_match(routes().find(method, path), method);
  return 0;
}
