#define CAF_SUITE config.app_config
#include <caf/test/unit_test.hpp>

#include <cstdlib>
#include <fstream>

#include "config/app_config.hpp"
#include "tests/support/test_service.hpp"

using namespace idclaim;

namespace {

/// Sets an environment variable for the lifetime of the object.
struct scoped_env {
  std::string name;
  scoped_env(std::string n, const std::string& value) : name(std::move(n)) {
    setenv(name.c_str(), value.c_str(), 1);
  }
  ~scoped_env() { unsetenv(name.c_str()); }
};

} // namespace

CAF_TEST(the option list names every option with its variable) {
  config::app_config cfg;
  auto list = cfg.option_list();
  for (auto name : {"--listen", "--hash-priority", "--hash-threads",
                    "--login-name-table", "--max-body-bytes",
                    "--request-timeout-ms", "(IDCLAIM_HASH_PRIORITY)"})
    CAF_CHECK_NOT_EQUAL(list.find(name), std::string::npos);
  // CAF's own options are not idclaim's to list.
  CAF_CHECK_EQUAL(list.find("scheduler"), std::string::npos);
}

CAF_TEST(defaults apply without any source) {
  config::app_config cfg;
  CAF_REQUIRE_EQUAL(cfg.parse_layers({}), "");
  CAF_CHECK_EQUAL(cfg.values.listen, "127.0.0.1:8080");
  CAF_CHECK_EQUAL(cfg.values.data_dir, "var");
  CAF_CHECK_EQUAL(cfg.values.password_hash, "interactive");
  CAF_CHECK_EQUAL(cfg.values.test_clock, false);
  CAF_CHECK(cfg.values.embedded());
}

CAF_TEST(flags win over the environment which wins over the file) {
  testing::temp_dir dir;
  auto ini = dir.path() + "/idclaim.ini";
  std::ofstream(ini) << "[global]\nlisten=\"10.0.0.1:1\"\n"
                        "data-dir=\"from-file\"\n"
                        "password-hash=\"moderate\"\n";
  scoped_env env_dir{"IDCLAIM_DATA_DIR", "from-env"};
  scoped_env env_hash{"IDCLAIM_PASSWORD_HASH", "fast"};
  config::app_config cfg;
  auto err = cfg.parse_layers({"--config", ini, "--password-hash",
                               "interactive", "--test-clock"});
  CAF_REQUIRE_EQUAL(err, "");
  CAF_CHECK_EQUAL(cfg.values.listen, "10.0.0.1:1");       // file
  CAF_CHECK_EQUAL(cfg.values.data_dir, "from-env");       // env over file
  CAF_CHECK_EQUAL(cfg.values.password_hash, "interactive"); // flag over env
  CAF_CHECK_EQUAL(cfg.values.test_clock, true);
}

CAF_TEST(both flag spellings work) {
  config::app_config a;
  CAF_REQUIRE_EQUAL(a.parse_layers({"--listen", "127.0.0.1:9"}), "");
  CAF_CHECK_EQUAL(a.values.listen, "127.0.0.1:9");
  config::app_config b;
  CAF_REQUIRE_EQUAL(b.parse_layers({"--listen=127.0.0.1:10"}), "");
  CAF_CHECK_EQUAL(b.values.listen, "127.0.0.1:10");
}

CAF_TEST(the login name table has a default and an option) {
  config::app_config a;
  CAF_REQUIRE_EQUAL(a.parse_layers({}), "");
  CAF_CHECK_EQUAL(a.values.login_name_table, 100000u);
  config::app_config b;
  CAF_REQUIRE_EQUAL(b.parse_layers({"--login-name-table", "64"}), "");
  CAF_CHECK_EQUAL(b.values.login_name_table, 64u);
}

CAF_TEST(unknown options and unreadable files are errors) {
  config::app_config a;
  CAF_CHECK_NOT_EQUAL(a.parse_layers({"--no-such-option=1"}), "");
  config::app_config b;
  CAF_CHECK_NOT_EQUAL(b.parse_layers({"--config", "/nonexistent/x.ini"}), "");
}

CAF_TEST(arguments that are not options are kept in order) {
  config::app_config a;
  CAF_REQUIRE_EQUAL(a.parse_layers({"first.csv", "--data-dir", "d", "second"}),
                    "");
  CAF_CHECK_EQUAL(a.positional,
                  (std::vector<std::string>{"first.csv", "second"}));
  CAF_CHECK_EQUAL(a.values.data_dir, "d");
}

CAF_TEST(environment names follow the option names) {
  CAF_CHECK_EQUAL(config::env_name("data-dir"), "IDCLAIM_DATA_DIR");
  CAF_CHECK_EQUAL(config::env_name("listen"), "IDCLAIM_LISTEN");
}

CAF_TEST(the PostgreSQL settings come from flags and the environment) {
  config::app_config defaults;
  CAF_REQUIRE_EQUAL(defaults.parse_layers({}), "");
  CAF_CHECK_EQUAL(defaults.values.database, "");
  CAF_CHECK_EQUAL(defaults.values.db_pool_size, 4u);
  CAF_CHECK_EQUAL(defaults.values.db_statement_timeout_ms, 5000u);
  std::string url
    = "postgresql://idclaim@127.0.0.1:5432/idclaim?sslmode=disable";
  config::app_config flags;
  CAF_REQUIRE_EQUAL(flags.parse_layers({"--database", url, "--db-pool-size",
                                        "7", "--db-statement-timeout-ms",
                                        "250"}),
                    "");
  CAF_CHECK_EQUAL(flags.values.database, url);
  CAF_CHECK_EQUAL(flags.values.db_pool_size, 7u);
  CAF_CHECK_EQUAL(flags.values.db_statement_timeout_ms, 250u);
  CAF_CHECK(!flags.values.embedded());
  scoped_env env{"IDCLAIM_DATABASE", url};
  config::app_config from_env;
  CAF_REQUIRE_EQUAL(from_env.parse_layers({}), "");
  CAF_CHECK_EQUAL(from_env.values.database, url);
}
