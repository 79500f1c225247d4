#include "bench/server_process.hpp"

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string_view>
#include <thread>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/sync_client.hpp"

namespace idclaim::bench {

namespace fs = std::filesystem;

namespace {

/// Runs `argv` with stdout and stderr appended to `log`; returns the pid.
pid_t spawn(const std::vector<std::string>& argv, const std::string& log) {
  std::vector<char*> args;
  for (auto& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = fork();
  if (pid < 0)
    throw std::runtime_error("fork failed");
  if (pid == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
      close(fd);
    }
    execv(args[0], args.data());
    _exit(127);
  }
  return pid;
}

/// Waits for `pid` to exit for up to `limit`; true if it did.
bool wait_exit(pid_t pid, std::chrono::milliseconds limit, int* status) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (waitpid(pid, status, WNOHANG) == pid)
      return true;
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  }
  return false;
}

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The port of the first "<marker>HOST:PORT" in `log`, or 0.
unsigned short port_in_log(const std::string& log, std::string_view marker) {
  auto at = log.find(marker);
  // Only a whole line: the server may be half-way through writing it.
  if (at == std::string::npos || log.find('\n', at) == std::string::npos)
    return 0;
  auto end = log.find_first_of(" \n", at + marker.size());
  auto address = log.substr(at + marker.size(), end - at - marker.size());
  auto colon = address.rfind(':');
  if (colon == std::string::npos)
    return 0;
  auto digits = address.substr(colon + 1);
  if (digits.empty() || digits.size() > 5
      || digits.find_first_not_of("0123456789") != std::string::npos)
    return 0;
  auto port = std::stoi(digits);
  return port > 0 && port <= 65535 ? static_cast<unsigned short>(port) : 0;
}

/// The last lines of the log, for an error message.
std::string tail(const std::string& path) {
  auto text = read_all(path);
  return text.size() > 2000 ? text.substr(text.size() - 2000) : text;
}

} // namespace

bool wait_ready(const std::string& host, unsigned short port,
                std::chrono::milliseconds limit) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    try {
      sync_client c{host, port, std::chrono::seconds{2}};
      auto r = c.json(boost::beast::http::verb::get, "/readyz");
      if (r.status == 200)
        return true;
    } catch (const std::exception&) {
      // Not listening yet.
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
  }
  return false;
}

std::unique_ptr<server_handle>
server_handle::start(const server_options& opts) {
  std::unique_ptr<server_handle> h{new server_handle};
  h->managed_ = true;
  h->keep_ = opts.keep_data;
  h->hash_cost_ = opts.password_hash;
  std::string pattern = opts.work_dir + "/idclaim-bench-XXXXXX";
  if (!mkdtemp(pattern.data()))
    throw std::runtime_error("cannot make a temporary directory in "
                             + opts.work_dir);
  h->root_dir_ = pattern;
  h->data_dir_ = pattern + "/data";
  h->log_path_ = pattern + "/server.log";
  for (auto& s : opts.staff) {
    auto pid = spawn({opts.binary, "staff", "add", "--data-dir", h->data_dir_,
                      "--role", s.role, "--username", s.username, "--password",
                      s.password, "--password-hash", opts.password_hash},
                     h->log_path_);
    int status = 0;
    if (!wait_exit(pid, std::chrono::seconds{60}, &status) || !WIFEXITED(status)
        || WEXITSTATUS(status) != 0)
      throw std::runtime_error("idclaim staff add failed: "
                               + tail(h->log_path_));
  }
  std::vector<std::string> argv{
    opts.binary,   "serve",      "--listen",        "127.0.0.1:0",
    "--data-dir",  h->data_dir_, "--password-hash", opts.password_hash,
    "--test-clock"};
  argv.insert(argv.end(), opts.extra_args.begin(), opts.extra_args.end());
  h->pid_ = spawn(argv, h->log_path_);
  // The server logs the port it bound: "idclaim serving on HOST:PORT".
  constexpr std::string_view serving = "idclaim serving on ";
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds{60};
  while (h->port_ == 0) {
    auto log = read_all(h->log_path_);
    if (auto port = port_in_log(log, serving))
      h->port_ = port;
    else if (int st = 0; waitpid(h->pid_, &st, WNOHANG) == h->pid_) {
      h->pid_ = 0;
      throw std::runtime_error("idclaim serve exited: " + tail(h->log_path_));
    } else if (std::chrono::steady_clock::now() > until)
      throw std::runtime_error("idclaim serve did not log its port: "
                               + tail(h->log_path_));
    else
      std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  if (!wait_ready(h->host_, h->port_, std::chrono::seconds{60}))
    throw std::runtime_error("idclaim serve is not ready: "
                             + tail(h->log_path_));
  return h;
}

std::unique_ptr<server_handle>
server_handle::external(std::string host, unsigned short port, pid_t pid) {
  std::unique_ptr<server_handle> h{new server_handle};
  h->host_ = std::move(host);
  h->port_ = port;
  h->pid_ = pid;
  return h;
}

server_handle::~server_handle() {
  stop();
}

void server_handle::stop() {
  if (!managed_)
    return;
  managed_ = false;
  if (pid_ > 0) {
    kill(pid_, SIGTERM);
    int status = 0;
    if (!wait_exit(pid_, std::chrono::seconds{15}, &status)) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
    }
    pid_ = 0;
  }
  if (!keep_ && !root_dir_.empty()) {
    std::error_code ec;
    fs::remove_all(root_dir_, ec);
  }
}

} // namespace idclaim::bench
