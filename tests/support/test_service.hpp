#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/service.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_database.hpp"

namespace idclaim::testing {

/// A fresh temporary directory, removed with everything in it at the end.
class temp_dir {
public:
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  const std::string& path() const { return path_; }

private:
  std::string path_;
};

/// A JSON answer: status and parsed body (null when the body is empty).
struct json_reply {
  unsigned status = 0;
  nlohmann::json body;
  http::response raw;

  /// The error code of an error body, or "".
  std::string error_code() const;
};

/// The real service, running in this process on 127.0.0.1 with a free
/// port, its own data directory, `fast` password hashing and the test clock.
/// Its log goes to a file the test can read. Its database is a fresh one of
/// the backend under test (see test_database): the SQLite file in the data
/// directory, or a new PostgreSQL database with a key file made up front.
class test_service {
public:
  /// `adjust` may change the settings before the service starts.
  explicit test_service(
    std::function<void(config::settings&)> adjust = nullptr);
  ~test_service();

  unsigned short port() const { return svc_->port(); }
  const std::string& data_dir() const { return dir_.path(); }
  const std::string& log_path() const { return log_path_; }
  app::service& service() { return *svc_; }

  /// The service's database, for looking at what it stored.
  const test_database& database() const { return *db_; }

  /// Stops the service (idempotent); the data directory stays.
  void stop();

  /// A new keep-alive connection to the service.
  http_client client() const;

private:
  temp_dir dir_;
  std::string log_path_;
  std::unique_ptr<test_database> db_;
  std::unique_ptr<app::service> svc_;
};

/// Sends JSON (or nothing, for a null `body`) and parses the JSON answer.
/// `token` adds `Authorization: Bearer`.
json_reply call(http_client& c, boost::beast::http::verb method,
                const std::string& target,
                const nlohmann::json& body = nullptr,
                const std::string& token = {});

/// Builds a valid 18-digit resident ID from a 17-digit body.
std::string resident_id(const std::string& first17);

/// The `n`-th distinct valid resident ID (for load-style tests).
std::string nth_resident_id(int n);

/// A valid registration body.
nlohmann::json registration_body(const std::string& username,
                                 const std::string& id_number,
                                 bool acknowledge_duplicate = false);

/// Reads a whole file (binary-safe).
std::string read_file(const std::string& path);

} // namespace idclaim::testing

namespace idclaim::testing {

/// Counts the rows of `table` in the service's database, either backend.
int64_t count_rows(const test_service& svc, const std::string& table);

} // namespace idclaim::testing
