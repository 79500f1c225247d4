#include "tests/support/test_service.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "crypto/key_set.hpp"
#include "domain/id_number.hpp"

namespace idclaim::testing {

namespace fs = std::filesystem;
namespace bh = boost::beast::http;

temp_dir::temp_dir() {
  std::string pattern = (fs::temp_directory_path() / "idclaim-test-XXXXXX");
  if (!mkdtemp(pattern.data()))
    throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

temp_dir::~temp_dir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string json_reply::error_code() const {
  if (body.is_object() && body.contains("error"))
    return body["error"].value("code", "");
  return {};
}

test_service::test_service(std::function<void(config::settings&)> adjust) {
  log_path_ = dir_.path() + "/server.log";
  // Everything the service logs goes to this file, so tests can scan it.
  auto logger = spdlog::basic_logger_mt("test-" + dir_.path(), log_path_);
  logger->flush_on(spdlog::level::trace);
  logger->set_level(spdlog::level::debug);
  spdlog::set_default_logger(logger);
  config::settings s;
  s.listen = "127.0.0.1:0";
  s.data_dir = dir_.path() + "/data";
  s.password_hash = "fast";
  s.test_clock = true;
  s.hash_threads = 2;
  db_ = std::make_unique<test_database>(s.sqlite_path());
  if (db_->postgres()) {
    // A shared database never invents keys: make the file as an operator
    // would before the first start.
    fs::create_directories(s.data_dir);
    s.database = db_->url();
    s.key_file = s.data_dir + "/secret.keys";
    crypto::create_key_file(s.key_file);
  }
  if (adjust)
    adjust(s);
  svc_ = std::make_unique<app::service>(s);
  svc_->start();
}

test_service::~test_service() {
  stop();
  svc_.reset();
  db_.reset();
  spdlog::drop("test-" + dir_.path());
  spdlog::set_default_logger(spdlog::stdout_color_mt("console-" + dir_.path()));
}

void test_service::stop() {
  if (svc_)
    svc_->stop();
}

http_client test_service::client() const {
  return http_client{"127.0.0.1", port()};
}

json_reply call(http_client& c, bh::verb method, const std::string& target,
                const nlohmann::json& body, const std::string& token) {
  std::vector<std::pair<std::string, std::string>> headers;
  if (!token.empty())
    headers.emplace_back("Authorization", "Bearer " + token);
  auto res = c.request(method, target, body.is_null() ? "" : body.dump(),
                       headers);
  json_reply out;
  out.status = res.result_int();
  if (!res.body().empty())
    out.body = nlohmann::json::parse(res.body(), nullptr, false);
  out.raw = std::move(res);
  return out;
}

std::string resident_id(const std::string& first17) {
  auto check = domain::gb11643_check_character(first17);
  if (!check)
    throw std::invalid_argument("not 17 digits");
  return first17 + *check;
}

std::string nth_resident_id(int n) {
  // Region 110105, a valid birth date, and the sequence carrying `n`; the
  // birth day varies too so that more than 1000 IDs are distinct.
  char body[18];
  std::snprintf(body, sizeof body, "1101051990%02d%02d%03d", 1 + (n / 28000) % 12,
                1 + (n / 1000) % 28, n % 1000);
  return resident_id(body);
}

nlohmann::json registration_body(const std::string& username,
                                 const std::string& id_number,
                                 bool acknowledge_duplicate) {
  nlohmann::json body{{"username", username},
                      {"password", "Passw0rd-x1"},
                      {"name", "王小明"},
                      {"id_type", "resident"},
                      {"id_number", id_number},
                      {"mobile", "13912345678"}};
  if (acknowledge_duplicate)
    body["acknowledge_duplicate"] = true;
  return body;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

} // namespace idclaim::testing

namespace idclaim::testing {

int64_t count_rows(const test_service& svc, const std::string& table) {
  return svc.database().count_rows(table);
}

} // namespace idclaim::testing
