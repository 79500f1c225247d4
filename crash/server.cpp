#include "crash/server.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>
#include <thread>

#include "bench/sync_client.hpp"

namespace idclaim::crash {

namespace {

/// fork + exec with stdout and stderr appended to `log_path`.
pid_t spawn(const std::string& binary, const std::vector<std::string>& args,
            const std::string& log_path) {
  std::vector<std::string> argv_s{binary};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0)
    throw std::runtime_error("fork failed");
  if (pid == 0) {
    int fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      ::close(fd);
    }
    ::execv(binary.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

int wait_for(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

/// Whether GET /readyz answers 200 now.
bool ready_now(unsigned short port) {
  try {
    bench::sync_client c{"127.0.0.1", port, std::chrono::seconds{1}};
    return c.json(boost::beast::http::verb::get, "/readyz").status == 200;
  } catch (const std::exception&) {
    return false;
  }
}

} // namespace

server::server(std::string binary, std::vector<std::string> args,
               std::string log_path, unsigned short port)
  : binary_(std::move(binary)), args_(std::move(args)),
    log_path_(std::move(log_path)), port_(port) {}

server::~server() {
  if (pid_ > 0)
    kill_hard();
}

std::optional<std::chrono::milliseconds>
server::start(std::chrono::milliseconds limit) {
  auto started = std::chrono::steady_clock::now();
  pid_ = spawn(binary_, args_, log_path_);
  while (std::chrono::steady_clock::now() - started < limit) {
    if (ready_now(port_))
      return std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = 0;
      return std::nullopt; // it died on start
    }
    // Polling: readiness is a state of another process.
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  }
  return std::nullopt;
}

void server::kill_hard() {
  if (pid_ <= 0)
    return;
  ::kill(pid_, SIGKILL);
  wait_for(pid_);
  pid_ = 0;
}

int server::stop() {
  if (pid_ <= 0)
    return -1;
  ::kill(pid_, SIGTERM);
  int status = wait_for(pid_);
  pid_ = 0;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

unsigned short pick_free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0
      || ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (fd >= 0)
      ::close(fd);
    throw std::runtime_error("cannot find a free port");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

int run_to_end(const std::string& binary, const std::vector<std::string>& args,
               const std::string& log_path) {
  int status = wait_for(spawn(binary, args, log_path));
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

} // namespace idclaim::crash
