#define CAF_SUITE http.static_site
#include <caf/test/unit_test.hpp>

#include <filesystem>
#include <fstream>

#include "http/static_site.hpp"
#include "tests/support/test_service.hpp"

using namespace idclaim;
using namespace idclaim::testing;
namespace bh = boost::beast::http;

namespace {

void write(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(
    std::filesystem::path(path).parent_path());
  std::ofstream(path) << text;
}

struct fixture {
  temp_dir web;
  std::unique_ptr<test_service> svc;

  fixture() {
    write(web.path() + "/index.html", "<h1>首页</h1>");
    write(web.path() + "/css/site.css", "body{}");
    write(web.path() + "/tests/ui.spec.js", "secret test");
    svc = std::make_unique<test_service>(
      [this](config::settings& s) { s.web_dir = web.path(); });
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(static_site_tests, fixture)

CAF_TEST(files are served from memory with their type) {
  auto c = svc->client();
  auto index = c.request(bh::verb::get, "/");
  CAF_CHECK_EQUAL(index.result_int(), 200u);
  CAF_CHECK_EQUAL(index.body(), "<h1>首页</h1>");
  CAF_CHECK_EQUAL(index[bh::field::content_type], "text/html; charset=utf-8");
  auto css = c.request(bh::verb::get, "/css/site.css");
  CAF_CHECK_EQUAL(css[bh::field::content_type], "text/css; charset=utf-8");
  CAF_CHECK_EQUAL(css["X-Content-Type-Options"], "nosniff");
  // Browser routes without an extension get the page itself.
  auto route = c.request(bh::verb::get, "/account/inbox");
  CAF_CHECK_EQUAL(route.body(), "<h1>首页</h1>");
}

CAF_TEST(unknown files traversal and test files are not served) {
  auto c = svc->client();
  CAF_CHECK_EQUAL(c.request(bh::verb::get, "/missing.js").result_int(), 404u);
  CAF_CHECK_EQUAL(c.request(bh::verb::get, "/../secret.txt").result_int(),
                  404u);
  CAF_CHECK_EQUAL(c.request(bh::verb::get, "/tests/ui.spec.js").result_int(),
                  404u);
  // The API keeps its own 404s and 405s.
  CAF_CHECK_EQUAL(c.request(bh::verb::get, "/api/v1/nothing").result_int(),
                  404u);
  CAF_CHECK_EQUAL(c.request(bh::verb::get, "/api/v1/accounts").result_int(),
                  405u);
}

CAF_TEST(an unchanged file answers 304) {
  auto c = svc->client();
  auto first = c.request(bh::verb::get, "/css/site.css");
  auto etag = std::string{first[bh::field::etag]};
  CAF_REQUIRE(!etag.empty());
  auto again
    = c.request(bh::verb::get, "/css/site.css", "", {{"If-None-Match", etag}});
  CAF_CHECK_EQUAL(again.result_int(), 304u);
  CAF_CHECK(again.body().empty());
}

CAF_TEST_FIXTURE_SCOPE_END()
