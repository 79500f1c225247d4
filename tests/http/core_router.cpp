#define CAF_SUITE http.core_router

#include <caf/test/unit_test.hpp>

#include <stdexcept>
#include <string>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/verb.hpp>

#include "http/query.hpp"
#include "http/request.hpp"
#include "http/router.hpp"

using namespace idclaim;
using idclaim::http::router;
using verb = boost::beast::http::verb;

namespace {

/// A handler that is never called in these tests.
void unused_handler(http::request_ptr, http::reply_fn) {
  // nop
}

struct fixture {
  router routes;

  fixture() {
    routes.add(verb::get, "/api/v1/me", unused_handler);
    routes.add(verb::get, "/api/v1/reviews/mine", unused_handler);
    routes.add(verb::get, "/api/v1/reviews/{id}", unused_handler);
    routes.add(verb::delete_, "/api/v1/reviews/{id}", unused_handler);
    routes.add(verb::get, "/api/v1/admin/reviews/{id}/photos/{side}",
               unused_handler);
    routes.add(verb::post, "/api/v1/admin/reviews/{id}/approve",
               unused_handler, http::route_options{1024, false, {}});
    routes.add(verb::put, "/api/v1/admin/reviews/{id}/approve",
               unused_handler);
    routes.add(verb::get, "/", unused_handler);
  }

  std::string pattern_of(verb method, std::string_view path) {
    auto found = routes.find(method, path);
    return found.route != nullptr ? found.route->pattern : "<none>";
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(router_tests, fixture)

CAF_TEST(literal routes match exactly) {
  CAF_CHECK_EQUAL(pattern_of(verb::get, "/api/v1/me"), "/api/v1/me");
  CAF_CHECK_EQUAL(pattern_of(verb::get, "/"), "/");
  CAF_CHECK_EQUAL(pattern_of(verb::get, "/api/v1/me/"), "<none>");
  CAF_CHECK_EQUAL(pattern_of(verb::get, "/api/v1"), "<none>");
  CAF_CHECK_EQUAL(pattern_of(verb::get, "/api/v1/me/x"), "<none>");
  CAF_CHECK_EQUAL(pattern_of(verb::get, "/API/v1/me"), "<none>");
  CAF_CHECK_EQUAL(pattern_of(verb::get, ""), "<none>");
  CAF_CHECK_EQUAL(pattern_of(verb::get, "api/v1/me"), "<none>");
}

CAF_TEST(parameters bind one non-empty decoded segment) {
  auto found = routes.find(verb::get, "/api/v1/admin/reviews/42/photos/front");
  CAF_REQUIRE(found.route != nullptr);
  CAF_CHECK_EQUAL(found.route->pattern,
                  "/api/v1/admin/reviews/{id}/photos/{side}");
  CAF_CHECK_EQUAL(found.params.size(), 2u);
  CAF_CHECK_EQUAL(found.params["id"], "42");
  CAF_CHECK_EQUAL(found.params["side"], "front");
  found = routes.find(verb::get, "/api/v1/reviews/a%20b%2Fc");
  CAF_REQUIRE(found.route != nullptr);
  CAF_CHECK_EQUAL(found.params["id"], "a b/c");
  CAF_CHECK_EQUAL(pattern_of(verb::get, "/api/v1/reviews/"), "<none>");
  CAF_CHECK_EQUAL(pattern_of(verb::get, "/api/v1/reviews/%zz"), "<none>");
  CAF_CHECK_EQUAL(pattern_of(verb::get, "/api/v1/admin/reviews//photos/x"),
                  "<none>");
}

CAF_TEST(a literal segment beats a parameter) {
  CAF_CHECK_EQUAL(pattern_of(verb::get, "/api/v1/reviews/mine"),
                  "/api/v1/reviews/mine");
  CAF_CHECK(routes.find(verb::get, "/api/v1/reviews/mine").params.empty());
  CAF_CHECK_EQUAL(pattern_of(verb::get, "/api/v1/reviews/7"),
                  "/api/v1/reviews/{id}");
  // Only the parameter route answers DELETE, so it serves "mine" too.
  CAF_CHECK_EQUAL(pattern_of(verb::delete_, "/api/v1/reviews/mine"),
                  "/api/v1/reviews/{id}");
}

CAF_TEST(unknown paths are not found and known paths refuse other methods) {
  auto missing = routes.find(verb::get, "/api/v1/nothing");
  CAF_CHECK(missing.route == nullptr);
  CAF_CHECK(missing.error == errc::not_found);
  CAF_CHECK(missing.allowed.empty());
  auto wrong = routes.find(verb::patch, "/api/v1/admin/reviews/9/approve");
  CAF_CHECK(wrong.route == nullptr);
  CAF_CHECK(wrong.error == errc::method_not_allowed);
  CAF_REQUIRE_EQUAL(wrong.allowed.size(), 2u);
  CAF_CHECK(wrong.allowed[0] == verb::post);
  CAF_CHECK(wrong.allowed[1] == verb::put);
  auto right = routes.find(verb::post, "/api/v1/admin/reviews/9/approve");
  CAF_REQUIRE(right.route != nullptr);
  CAF_CHECK_EQUAL(right.route->options.body_limit, 1024u);
  CAF_CHECK(right.allowed.empty());
}

CAF_TEST(the fallback serves unmatched GET requests only) {
  routes.set_fallback(unused_handler);
  CAF_CHECK_EQUAL(pattern_of(verb::get, "/index.html"), "*");
  CAF_CHECK_EQUAL(pattern_of(verb::get, "/assets/app.js"), "*");
  CAF_CHECK_EQUAL(pattern_of(verb::post, "/index.html"), "<none>");
  // A path that exists for other methods still answers 405.
  auto wrong = routes.find(verb::get, "/api/v1/admin/reviews/9/approve");
  CAF_CHECK(wrong.route == nullptr);
  CAF_CHECK(wrong.error == errc::method_not_allowed);
  CAF_CHECK_EQUAL(pattern_of(verb::get, "/api/v1/me"), "/api/v1/me");
}

CAF_TEST(bad or duplicate patterns are refused) {
  auto refused = [this](verb method, std::string pattern) {
    try {
      routes.add(method, std::move(pattern), unused_handler);
    } catch (const std::invalid_argument&) {
      return true;
    }
    return false;
  };
  CAF_CHECK(refused(verb::get, ""));
  CAF_CHECK(refused(verb::get, "api/v1"));
  CAF_CHECK(refused(verb::get, "/a/{}"));
  CAF_CHECK(refused(verb::get, "/a/{x}/{x}"));
  CAF_CHECK(refused(verb::get, "/a/x{y}"));
  CAF_CHECK(refused(verb::get, "/api/v1/me"));
  CAF_CHECK(refused(verb::get, "/api/v1/reviews/{other}"));
  CAF_CHECK(!refused(verb::post, "/api/v1/me"));
  bool no_handler = false;
  try {
    routes.add(verb::get, "/x", nullptr);
  } catch (const std::invalid_argument&) {
    no_handler = true;
  }
  CAF_CHECK(no_handler);
  bool no_upgrade = false;
  try {
    routes.add(verb::get, "/ws", unused_handler,
               http::route_options{1024, true, {}});
  } catch (const std::invalid_argument&) {
    no_upgrade = true;
  }
  CAF_CHECK(no_upgrade);
}

CAF_TEST(routes lists every route in registration order) {
  auto all = routes.routes();
  CAF_REQUIRE_EQUAL(all.size(), 8u);
  CAF_CHECK(all[0].first == verb::get);
  CAF_CHECK_EQUAL(all[0].second, "/api/v1/me");
  CAF_CHECK(all[3].first == verb::delete_);
  CAF_CHECK_EQUAL(all[3].second, "/api/v1/reviews/{id}");
  CAF_CHECK_EQUAL(all[7].second, "/");
}

CAF_TEST_FIXTURE_SCOPE_END()

CAF_TEST(targets split at the first question mark) {
  auto parts = http::split_target("/a/b?x=1&y=2?z#frag");
  CAF_CHECK_EQUAL(parts.path, "/a/b");
  CAF_CHECK_EQUAL(parts.query, "x=1&y=2?z");
  parts = http::split_target("/a");
  CAF_CHECK_EQUAL(parts.path, "/a");
  CAF_CHECK(parts.query.empty());
}

CAF_TEST(percent decoding) {
  CAF_CHECK_EQUAL(http::percent_decode("a%20b%2fc%2F").value_or("?"),
                  "a b/c/");
  CAF_CHECK_EQUAL(http::percent_decode("a+b").value_or("?"), "a+b");
  CAF_CHECK_EQUAL(http::percent_decode("a+b", true).value_or("?"), "a b");
  CAF_CHECK_EQUAL(http::percent_decode("%E5%BC%A0").value_or("?"), "张");
  CAF_CHECK(!http::percent_decode("%"));
  CAF_CHECK(!http::percent_decode("abc%4"));
  CAF_CHECK(!http::percent_decode("%g0"));
  CAF_CHECK_EQUAL(http::percent_decode("").value_or("?"), "");
}

CAF_TEST(query strings decode into a map) {
  auto query = http::parse_query("state=open&q=a+b%26c&flag&&empty=&state=x");
  CAF_REQUIRE(query.has_value());
  CAF_CHECK_EQUAL(query->size(), 4u);
  CAF_CHECK_EQUAL(query->at("state"), "open");
  CAF_CHECK_EQUAL(query->at("q"), "a b&c");
  CAF_CHECK_EQUAL(query->at("flag"), "");
  CAF_CHECK_EQUAL(query->at("empty"), "");
  CAF_CHECK(http::parse_query("")->empty());
  CAF_CHECK(!http::parse_query("a=%zz"));
  CAF_CHECK(!http::parse_query("%=1"));
}

CAF_TEST(header and cookie helpers) {
  http::request req;
  req.msg.set(boost::beast::http::field::authorization, "Bearer t0k");
  req.msg.insert(boost::beast::http::field::cookie, "theme=dark; sid=abc123");
  req.msg.insert(boost::beast::http::field::cookie, "sid=later; q=\"quoted\"");
  CAF_CHECK_EQUAL(http::header(req, "authorization").value_or("?"),
                  "Bearer t0k");
  CAF_CHECK(!http::header(req, "X-Requested-With"));
  CAF_CHECK_EQUAL(http::cookie(req, "sid").value_or("?"), "abc123");
  CAF_CHECK_EQUAL(http::cookie(req, "theme").value_or("?"), "dark");
  CAF_CHECK_EQUAL(http::cookie(req, "q").value_or("?"), "quoted");
  CAF_CHECK(!http::cookie(req, "SID"));
  CAF_CHECK(!http::cookie(req, "the"));
  http::request bare;
  CAF_CHECK(!http::cookie(bare, "sid"));
}
