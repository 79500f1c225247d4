#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <sys/types.h>

namespace idclaim::bench {

/// A staff member to create with `idclaim staff add` before the server
/// starts (the embedded SQLite file has one writer at a time).
struct staff_member {
  std::string role; ///< reviewer or operator
  std::string username;
  std::string password;
};

/// How to start a server of our own.
struct server_options {
  std::string binary;                  ///< path of the idclaim executable
  std::string password_hash = "fast";  ///< fast|interactive|moderate
  std::vector<std::string> extra_args; ///< more `serve` flags
  std::vector<staff_member> staff;     ///< made before `serve`
  std::string work_dir = "/tmp";       ///< where the data dir is made
  bool keep_data = false;              ///< leave the data dir behind
};

/// The server a scenario talks to: one we started (and will stop), or an
/// external one given by --target.
class server_handle {
public:
  /// Starts `idclaim serve --listen 127.0.0.1:0 --test-clock` with a fresh
  /// data dir, reads the port from its log, and waits for /readyz.
  /// @throws std::runtime_error when it does not become ready in 60 s.
  static std::unique_ptr<server_handle> start(const server_options& opts);

  /// Names a server we do not own; `pid` 0 means unknown (no RSS/CPU).
  static std::unique_ptr<server_handle>
  external(std::string host, unsigned short port, pid_t pid);

  ~server_handle();
  server_handle(const server_handle&) = delete;
  server_handle& operator=(const server_handle&) = delete;

  /// Stops a server we started (SIGTERM, then SIGKILL after 15 s); does
  /// nothing for an external one. Idempotent.
  void stop();

  const std::string& host() const { return host_; }
  unsigned short port() const { return port_; }
  pid_t pid() const { return pid_; }
  bool managed() const { return managed_; }
  /// The data dir of a server we started ("" for an external one).
  const std::string& data_dir() const { return data_dir_; }
  /// Its log file ("" for an external one).
  const std::string& log_path() const { return log_path_; }
  /// The hash cost it runs with ("" when unknown).
  const std::string& hash_cost() const { return hash_cost_; }

private:
  server_handle() = default;

  std::string host_ = "127.0.0.1";
  unsigned short port_ = 0;
  pid_t pid_ = 0;
  bool managed_ = false;
  bool keep_ = false;
  std::string root_dir_;
  std::string data_dir_;
  std::string log_path_;
  std::string hash_cost_;
};

/// Waits until GET /readyz answers 200 or `limit` passes; true if it did.
bool wait_ready(const std::string& host, unsigned short port,
                std::chrono::milliseconds limit);

} // namespace idclaim::bench
