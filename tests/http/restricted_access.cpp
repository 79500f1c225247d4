#define CAF_SUITE http.restricted_access
#include <caf/test/unit_test.hpp>

#include "http/auth.hpp"

using namespace idclaim;
namespace bh = boost::beast::http;

namespace {

struct row {
  bh::verb method;
  const char* route;
  bool allowed;
};

} // namespace

CAF_TEST(the one list of what a restricted account may call) {
  const row rows[] = {
    {bh::verb::get, "/api/v1/me", true},
    {bh::verb::get, "/api/v1/me/personal-info", true},
    {bh::verb::put, "/api/v1/me/personal-info", false},
    {bh::verb::put, "/api/v1/me/username", false},
    {bh::verb::put, "/api/v1/me/password", false},
    {bh::verb::get, "/api/v1/me/login-log", false},
    {bh::verb::post, "/api/v1/me/phone-binding/code", false},
    {bh::verb::post, "/api/v1/me/phone-binding", false},
    {bh::verb::delete_, "/api/v1/sessions/current", true},
    {bh::verb::post, "/api/v1/reviews", true},
    {bh::verb::get, "/api/v1/reviews/mine", true},
    {bh::verb::get, "/api/v1/reviews/warning", true},
    {bh::verb::post, "/api/v1/assist-requests", true},
    {bh::verb::get, "/api/v1/assist-requests/quota", true},
    {bh::verb::get, "/api/v1/events", true},
    {bh::verb::get, "/api/v1/inbox", false},
    {bh::verb::post, "/api/v1/inbox/{id}/approve", false},
    {bh::verb::get, "/api/v1/reviewsx", false},
    {bh::verb::get, "/api/v1/admin/reviews", false},
  };
  for (auto& r : rows) {
    CAF_MESSAGE(bh::to_string(r.method) << " " << r.route);
    CAF_CHECK_EQUAL(http::restricted_may_call(r.method, r.route), r.allowed);
  }
}
