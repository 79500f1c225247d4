#pragma once

#include <memory>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <caf/actor_system.hpp>

#include "actors/maintenance_actor.hpp"
#include "config/app_config.hpp"
#include "http/api_context.hpp"
#include "http/server.hpp"
#include "storage/database.hpp"

namespace idclaim::app {

/// The running service: storage, keys, actors and the HTTP server, wired
/// together. `idclaim serve` runs one; the end-to-end tests run one in
/// process on a free port.
class service {
public:
  /// Prepares everything from `values` (keys, storage, actors). Throws
  /// std::runtime_error with a clear message when something is missing.
  explicit service(const config::settings& values);
  ~service();

  /// Starts listening and serving; returns at once.
  void start();

  /// The port the HTTP server listens on (after start()).
  unsigned short port() const;

  /// Graceful stop: readiness turns false, the listener closes, in-flight
  /// requests finish, storage flushes, actors stop. Idempotent.
  void stop();

  /// The shared context the handlers use (for tests).
  const http::api_context_ptr& context() const { return ctx_; }

  caf::actor_system& system() { return *system_; }

private:
  /// Waits for the I/O threads; past `deadline` stops the io_context.
  void join_io_threads(std::chrono::milliseconds deadline);

  config::app_config cfg_;
  std::unique_ptr<caf::actor_system> system_;
  std::shared_ptr<storage::database> db_;
  http::api_context_ptr ctx_;
  boost::asio::io_context ioc_;
  std::unique_ptr<http::server> server_;
  std::vector<std::thread> io_threads_;
  actors::maintenance_actor maintenance_;
  bool stopped_ = false;
};

/// Opens the configured database and brings its schema up to date.
std::shared_ptr<storage::database> open_database(const config::settings& s);

/// Loads the key file; in embedded mode creates it (mode 0600) on first use
/// and says so in the log. In production mode a missing key file is fatal.
std::shared_ptr<const crypto::key_set> load_keys(const config::settings& s);

} // namespace idclaim::app
