#include "config/app_config.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "actors/messages.hpp"

namespace idclaim::config {

app_config::app_config() {
  add_message_types<caf::id_block::idclaim>();
  add_error_category(caf::atom("idclaim"),
                     [](uint8_t code, caf::atom_value, const caf::message&) {
                       return std::string{"idclaim: "}
                              + std::string{info(static_cast<errc>(code)).code};
                     });
  auto& v = values;
  opt_group{custom_options_, "global"}
    .add(v.listen, "listen", "HOST:PORT to serve on")
    .add(v.io_threads, "io-threads", "Asio I/O threads")
    .add(v.max_connections, "max-connections", "open sockets at most")
    .add(v.max_connections_per_ip, "max-connections-per-ip",
         "open HTTP connections from one IP at most (0: no limit)")
    .add(v.max_header_bytes, "max-header-bytes",
         "request line plus header fields at most (more: 400)")
    .add(v.max_body_bytes, "max-body-bytes",
         "ceiling on every route's body limit (more: 413)")
    .add(v.header_timeout_ms, "header-timeout-ms",
         "the whole request header must arrive within this")
    .add(v.body_timeout_ms, "body-timeout-ms",
         "reading a body or writing an answer may take this long")
    .add(v.data_dir, "data-dir", "directory for the embedded database, keys, outbox")
    .add(v.database, "database", "postgresql://... (empty: embedded SQLite)")
    .add(v.sqlite_sync, "sqlite-sync", "SQLite synchronous mode: full|normal")
    .add(v.db_batch_limit, "db-batch-limit", "storage jobs per group commit")
    .add(v.db_pool_size, "db-pool-size", "PostgreSQL connections (workers)")
    .add(v.db_statement_timeout_ms, "db-statement-timeout-ms",
         "PostgreSQL statement timeout (0: none)")
    .add(v.key_file, "key-file", "encryption and blind-index key file")
    .add(v.production, "production", "never create keys; require --key-file")
    .add(v.password_hash, "password-hash", "fast|interactive|moderate")
    .add(v.hash_threads, "hash-threads", "password hash threads (0: cores)")
    .add(v.hash_queue_limit, "hash-queue-limit", "queued hashes before 503")
    .add(v.hash_priority, "hash-priority",
         "normal|idle: idle lets every other server thread preempt hashes")
    .add(v.db_queue_limit, "db-queue-limit", "queued storage jobs before 503")
    .add(v.claim_idle_seconds, "claim-idle-seconds", "stop idle claim actors after")
    .add(v.session_hours, "session-hours", "login session lifetime")
    .add(v.assist_ttl_hours, "assist-ttl-hours", "assist requests expire after")
    .add(v.photo_retention_days, "photo-retention-days",
         "review photos are deleted this long after the case ends")
    .add(v.test_clock, "test-clock", "enable POST /api/v1/test/clock (tests only)")
    .add(v.web_dir, "web-dir", "directory of the browser UI files")
    .add(v.ws_idle_seconds, "ws-idle-seconds",
         "close a live-event socket idle this long (pings keep it alive)")
    .add(v.ws_max_queued, "ws-max-queued",
         "frames queued for a slow reader before it is cut off")
    .add(v.ws_per_account, "ws-per-account", "live-event sockets per account")
    .add(v.ws_send_buffer_bytes, "ws-send-buffer-bytes",
         "kernel send buffer of each live-event socket (0: default)")
    .add(v.log_level, "log-level", "trace|debug|info|warn|error")
    .add(v.request_timeout_ms, "request-timeout-ms", "internal request deadline")
    .add(v.shutdown_deadline_ms, "shutdown-deadline-ms",
         "how long in-flight requests may take after SIGTERM")
    .add(v.login_window_seconds, "login-window-seconds",
         "failed logins count against an account or IP this long")
    .add(v.login_slow_after, "login-slow-after",
         "failed logins in the window before answers are slowed")
    .add(v.login_slow_ms, "login-slow-ms", "delay of a slowed login answer")
    .add(v.login_lock_after, "login-lock-after",
         "failed logins of a username in the window before 429")
    .add(v.login_ip_lock_after, "login-ip-lock-after",
         "failed logins from one IP in the window before 429")
    .add(v.login_name_table, "login-name-table",
         "usernames whose failed logins each process remembers")
    .add(v.recovery_min_ms, "recovery-min-ms",
         "username recovery step 1 answers after at least this long")
    .add(staff_role, "role", "staff add: reviewer|operator")
    .add(staff_username, "username", "staff add: user name")
    .add(staff_password, "password", "staff add: password");
}

std::string env_name(const std::string& option) {
  std::string out = "IDCLAIM_";
  for (char c : option)
    out += c == '-' ? '_' : static_cast<char>(std::toupper(c));
  return out;
}

namespace {

/// Option names that take a value (everything but booleans).
bool is_flag_only(const std::string& name) {
  return name == "test-clock" || name == "production";
}

/// Rewrites `--name value` into CAF's `--name=value` form.
std::vector<std::string> normalise_flags(std::vector<std::string> args) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    auto& a = args[i];
    bool long_flag = a.size() > 2 && a.compare(0, 2, "--") == 0
                     && a.find('=') == std::string::npos;
    if (long_flag && !is_flag_only(a.substr(2)) && i + 1 < args.size()) {
      out.push_back(a + "=" + args[i + 1]);
      ++i;
    } else {
      out.push_back(a);
    }
  }
  return out;
}

/// Removes `--config FILE` / `--config=FILE` and returns FILE (or "").
std::string take_config_path(std::vector<std::string>& args) {
  std::string path;
  for (auto i = args.begin(); i != args.end();) {
    if (i->rfind("--config=", 0) == 0) {
      path = i->substr(9);
      i = args.erase(i);
    } else {
      ++i;
    }
  }
  return path;
}

} // namespace

std::string app_config::parse_layers(std::vector<std::string> args) {
  args = normalise_flags(std::move(args));
  // What is not an option is positional (`--flag value` is merged above).
  for (auto i = args.begin(); i != args.end();) {
    if (i->rfind("--", 0) != 0) {
      positional.push_back(*i);
      i = args.erase(i);
    } else {
      ++i;
    }
  }
  auto ini_path = take_config_path(args);
  if (ini_path.empty())
    if (auto env = std::getenv("IDCLAIM_CONFIG"))
      ini_path = env;
  // Environment values go first so that flags given later override them.
  std::vector<std::string> layered;
  for (auto& opt : custom_options_) {
    auto view = opt.long_name();
    auto name = std::string(view.data(), view.size());
    if (auto env = std::getenv(env_name(name).c_str()))
      layered.push_back("--" + name + "=" + env);
  }
  layered.insert(layered.end(), args.begin(), args.end());
  std::stringstream empty;
  std::ifstream file;
  if (!ini_path.empty()) {
    file.open(ini_path);
    if (!file)
      return "cannot read config file " + ini_path;
  }
  auto err = ini_path.empty() ? parse(layered, empty) : parse(layered, file);
  if (err)
    return render(err);
  if (!remainder.empty())
    return "unknown argument: " + remainder.front();
  if (values.hash_threads == 0)
    values.hash_threads = std::max(1u, std::thread::hardware_concurrency());
  return {};
}

std::string app_config::option_list() const {
  std::string out;
  for (auto& opt : custom_options_) {
    // CAF declares its own options in the same set, in other categories.
    if (opt.category() != "global")
      continue;
    auto view = opt.long_name();
    std::string name(view.data(), view.size());
    auto what = opt.description();
    out += "  --" + name + "  " + std::string(what.data(), what.size()) + " ("
           + env_name(name) + ")\n";
  }
  return out;
}

} // namespace idclaim::config
