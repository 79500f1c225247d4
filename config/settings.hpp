#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace idclaim::config {

/// Every configurable value of idclaim, with its default. Filled by
/// `app_config` from (in rising priority) defaults, the INI file, IDCLAIM_*
/// environment variables and command-line flags.
struct settings {
  // -- network -----------------------------------------------------------------
  std::string listen = "127.0.0.1:8080"; ///< HOST:PORT of the HTTP server
  std::size_t io_threads = 1;            ///< Asio threads (1 is as fast as 2)
  std::size_t max_connections = 10000;   ///< open sockets before refusing
  /// Open HTTP connections from one peer IP before refusing more (0: no
  /// limit, the default: behind the load balancer of SPEC §9 every peer is
  /// the balancer, and a school lab shares one NAT address).
  std::size_t max_connections_per_ip = 0;
  std::size_t max_header_bytes = 16 * 1024; ///< request line + header fields
  /// Ceiling on every route's body limit (routes set lower ones: 64 KiB of
  /// JSON, photos, the records import).
  std::size_t max_body_bytes = 32 * 1024 * 1024;
  /// The whole request header must arrive within this after the connection
  /// opens or the previous answer was sent: closes silent connections, idle
  /// keep-alive ones and clients sending a header a byte at a time.
  std::size_t header_timeout_ms = 10000;
  /// Reading a whole body, and writing a whole answer, may take this long.
  std::size_t body_timeout_ms = 30000;

  // -- storage -------------------------------------------------------------------
  std::string data_dir = "var";      ///< SQLite file, key file, SMS outbox
  std::string database;              ///< postgresql://... (empty: SQLite)
  std::string sqlite_sync = "full";  ///< synchronous= pragma: full|normal
  std::size_t db_batch_limit = 128;  ///< jobs per group commit
  std::size_t db_pool_size = 4;      ///< PostgreSQL connections (workers)
  std::size_t db_statement_timeout_ms = 5000; ///< PostgreSQL; 0: no limit
  std::size_t db_queue_limit = 4096; ///< storage jobs waiting before 503

  // -- secrets -------------------------------------------------------------------
  std::string key_file;     ///< empty: DATA_DIR/secret.keys (embedded only)
  bool production = false;  ///< refuse to invent keys; demand a key file

  // -- behaviour -----------------------------------------------------------------
  std::string password_hash = "interactive"; ///< fast|interactive|moderate
  std::size_t hash_threads = 0;     ///< 0: one per core
  std::size_t hash_queue_limit = 512;///< waiting hashes before 503
  /// normal|idle: the hash threads' scheduling (actors/worker_priority.hpp)
  std::string hash_priority = "idle";
  std::size_t claim_idle_seconds = 60; ///< idle claim actors stop after this
  std::size_t session_hours = 12;   ///< login session lifetime
  std::size_t assist_ttl_hours = 72;///< assist requests expire after this
  std::size_t photo_retention_days = 30; ///< photos kept after a case ends
  bool test_clock = false;          ///< expose POST /api/v1/test/clock
  std::size_t ws_idle_seconds = 60; ///< live-event sockets: idle close
  std::size_t ws_max_queued = 64;   ///< frames queued before a slow reader is cut
  std::size_t ws_per_account = 16;  ///< live-event sockets per account
  std::size_t ws_send_buffer_bytes = 0; ///< kernel send buffer (0: default)
  std::string web_dir;              ///< static UI files (empty: built-in path)
  std::string log_level = "info";   ///< spdlog level name
  std::size_t request_timeout_ms = 10000; ///< actor round trip deadline
  std::size_t shutdown_deadline_ms = 10000; ///< in-flight work on SIGTERM

  // -- login protection and account pages -------------------------------------
  std::size_t login_window_seconds = 900; ///< failures count this long
  std::size_t login_slow_after = 3;       ///< failures before answers slow down
  std::size_t login_slow_ms = 1000;       ///< how long a slowed answer waits
  std::size_t login_lock_after = 10;      ///< username failures before 429
  std::size_t login_ip_lock_after = 50;   ///< failures from one IP before 429
  /// Usernames whose failures one process remembers (the oldest go first).
  std::size_t login_name_table = 100000;
  std::size_t recovery_min_ms = 400;      ///< 找回用户名 step 1 answers no sooner

  /// The SQLite database file inside data_dir.
  std::string sqlite_path() const { return data_dir + "/idclaim.sqlite3"; }

  /// The key file actually used.
  std::string effective_key_file() const {
    return key_file.empty() ? data_dir + "/secret.keys" : key_file;
  }

  /// Whether the embedded defaults apply (SQLite, keys made on first start).
  bool embedded() const { return database.empty() && !production; }
};

} // namespace idclaim::config
