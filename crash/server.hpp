#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace idclaim::crash {

/// One `idclaim serve` process on a fixed port and data directory, which
/// the harness starts, SIGKILLs and starts again on the same data.
class server {
public:
  /// `args` are the `serve` flags (listen, data dir, database...); the
  /// process's output is appended to `log_path`.
  server(std::string binary, std::vector<std::string> args,
         std::string log_path, unsigned short port);

  /// Kills a process still running (SIGKILL) and reaps it.
  ~server();

  server(const server&) = delete;
  server& operator=(const server&) = delete;

  /// Starts the process and waits until GET /readyz answers 200 or `limit`
  /// passes. Returns how long that took, or nothing when it never did.
  /// @throws std::runtime_error when the process cannot be started.
  std::optional<std::chrono::milliseconds>
  start(std::chrono::milliseconds limit);

  /// SIGKILL, then reaps the process.
  void kill_hard();

  /// SIGTERM and waits for a clean exit; returns the exit status.
  int stop();

  unsigned short port() const { return port_; }

private:
  std::string binary_;
  std::vector<std::string> args_;
  std::string log_path_;
  unsigned short port_;
  pid_t pid_ = 0;
};

/// A TCP port that was free a moment ago on 127.0.0.1.
unsigned short pick_free_port();

/// Runs `binary` with `args` to the end, output appended to `log_path`;
/// returns its exit status.
int run_to_end(const std::string& binary, const std::vector<std::string>& args,
               const std::string& log_path);

} // namespace idclaim::crash
