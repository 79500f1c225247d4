#define CAF_SUITE http.privacy_e2e
#include <caf/test/unit_test.hpp>

#include <filesystem>

#include "tests/support/metrics_text.hpp"
#include "tests/support/test_service.hpp"

using namespace idclaim::testing;
namespace bh = boost::beast::http;

CAF_TEST(no ID number mobile or name appears in storage logs or metrics) {
  auto id = resident_id("44030619881231456");
  std::string mobile = "13700001111";
  std::string name = "欧阳娜娜";
  std::string data_dir;
  std::string log_path;
  {
    test_service svc;
    data_dir = svc.data_dir() + "/data";
    log_path = svc.log_path();
    auto c = svc.client();
    auto body = registration_body("privacy01", id);
    body["mobile"] = mobile;
    body["name"] = name;
    CAF_REQUIRE_EQUAL(call(c, bh::verb::post, "/api/v1/accounts", body).status,
                      201u);
    body["username"] = "privacy02";
    body["acknowledge_duplicate"] = true;
    CAF_REQUIRE_EQUAL(call(c, bh::verb::post, "/api/v1/accounts", body).status,
                      201u);
    call(c, bh::verb::post, "/api/v1/id-checks", {{"id_number", id}});
    auto login = call(c, bh::verb::post, "/api/v1/sessions",
                      {{"username", "privacy01"}, {"password", "Passw0rd-x1"}});
    call(c, bh::verb::get, "/api/v1/me", nullptr,
         login.body["token"].get<std::string>());
    // Planted in paths, too: a route parameter and a path no route has.
    call(c, bh::verb::get, "/api/v1/inbox/" + id);
    call(c, bh::verb::get, "/" + mobile + "/" + id);
    auto metrics = scrape(c);
    CAF_REQUIRE_EQUAL(metrics.status, 200u);
    CAF_CHECK_NOT_EQUAL(metrics.raw.body().find("/api/v1/inbox/{id}"),
                        std::string::npos);
    // Scan after a clean stop, so the WAL and the log are complete, then
    // scan every file the service wrote (database, WAL, log) and every
    // value stored in the database (on PostgreSQL, the files are the
    // server's).
    svc.stop();
    std::string everything = svc.database().dump();
    for (auto& entry :
         std::filesystem::recursive_directory_iterator(svc.data_dir()))
      if (entry.is_regular_file())
        everything += read_file(entry.path().string());
    // The scan sees what was stored: the username is kept in clear.
    CAF_CHECK_NOT_EQUAL(everything.find("privacy02"), std::string::npos);
    for (auto& secret : {id, id.substr(0, 17), mobile, name}) {
      CAF_CHECK_EQUAL(everything.find(secret), std::string::npos);
      CAF_CHECK_EQUAL(metrics.raw.body().find(secret), std::string::npos);
    }
    auto log = read_file(log_path);
    CAF_CHECK_NOT_EQUAL(log.find("/api/v1/accounts"), std::string::npos);
  }
}
