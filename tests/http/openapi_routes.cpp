#define CAF_SUITE http.openapi_routes
#include <caf/test/unit_test.hpp>

#include <set>

#include <yaml-cpp/yaml.h>

#include "http/api_routes.hpp"
#include "tests/support/test_service.hpp"

using namespace idclaim;

namespace {

using route_set = std::set<std::string>;

std::string lower(std::string s) {
  for (auto& c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

/// "get /api/v1/me" for every route the server serves.
route_set served_routes(const http::api_context_ptr& ctx) {
  route_set out;
  for (auto& [verb, pattern] : http::build_router(ctx)->routes())
    out.insert(lower(std::string{boost::beast::http::to_string(verb)}) + " "
               + pattern);
  return out;
}

/// The same for every operation in docs/openapi.yaml.
route_set documented_routes() {
  auto doc = YAML::LoadFile(std::string{IDCLAIM_SOURCE_DIR} + "/docs/openapi.yaml");
  route_set out;
  static const std::set<std::string> methods{"get", "put", "post", "delete",
                                             "patch"};
  for (auto path : doc["paths"])
    for (auto op : path.second)
      if (methods.count(op.first.as<std::string>()))
        out.insert(op.first.as<std::string>() + " "
                   + path.first.as<std::string>());
  return out;
}

} // namespace

CAF_TEST(every served route is documented and every documented route served) {
  testing::test_service svc; // with --test-clock, so every route exists
  auto served = served_routes(svc.service().context());
  auto documented = documented_routes();
  CAF_CHECK_GREATER(served.size(), 5u);
  for (auto& r : served)
    if (!documented.count(r))
      CAF_FAIL("served but not in docs/openapi.yaml: " << r);
  for (auto& r : documented)
    if (!served.count(r))
      CAF_FAIL("in docs/openapi.yaml but not served: " << r);
}

CAF_TEST(every error code in the table is upper snake case and unique) {
  std::set<std::string> codes;
  for (int i = 0; i < 256; ++i) {
    auto& row = info(static_cast<errc>(i));
    if (static_cast<int>(row.value) != i)
      continue;
    std::string code{row.code};
    CAF_CHECK(codes.insert(code).second);
    for (char c : code)
      CAF_CHECK((c >= 'A' && c <= 'Z') || c == '_');
    CAF_CHECK(row.http_status >= 400 && row.http_status < 600);
  }
  CAF_CHECK_GREATER(codes.size(), 20u);
}
