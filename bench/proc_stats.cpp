#include "bench/proc_stats.hpp"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <sys/utsname.h>
#include <unistd.h>

namespace idclaim::bench {

namespace {

/// The value in kB of `key:` in a /proc status-like file, in bytes.
std::uint64_t status_kb(const std::string& path, const std::string& key) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (line.compare(0, key.size(), key) != 0)
      continue;
    std::istringstream fields(line.substr(key.size()));
    std::uint64_t kb = 0;
    fields >> kb;
    return kb * 1024;
  }
  return 0;
}

std::string proc_path(pid_t pid, const char* file) {
  return "/proc/" + std::to_string(pid) + "/" + file;
}

} // namespace

std::uint64_t rss_bytes(pid_t pid) {
  return status_kb(proc_path(pid, "status"), "VmRSS:");
}

std::uint64_t peak_rss_bytes(pid_t pid) {
  return status_kb(proc_path(pid, "status"), "VmHWM:");
}

double cpu_seconds(pid_t pid) {
  std::ifstream in(proc_path(pid, "stat"));
  std::string text((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  // The command name may hold spaces; the fields we want follow its ')'.
  auto close = text.rfind(')');
  if (close == std::string::npos)
    return -1;
  std::istringstream rest(text.substr(close + 2));
  std::vector<std::string> fields;
  std::string f;
  while (rest >> f)
    fields.push_back(f);
  // After ')' come state (field 3) ... utime is field 14, stime field 15.
  if (fields.size() < 13)
    return -1;
  auto ticks = std::stod(fields[11]) + std::stod(fields[12]);
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double own_cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  auto secs = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
  };
  return secs(ru.ru_utime) + secs(ru.ru_stime);
}

std::string machine_load() {
  std::ifstream load("/proc/loadavg");
  std::string one, five, fifteen;
  load >> one >> five >> fifteen;
  std::string out = "load " + one + " " + five + " " + fifteen;
  std::ifstream pressure("/proc/pressure/cpu");
  std::string word;
  while (pressure >> word)
    if (word.rfind("avg60=", 0) == 0) {
      out += ", cpu pressure " + word.substr(6) + "%";
      break;
    }
  return out;
}

machine_info describe_machine() {
  machine_info m;
  m.cores = static_cast<unsigned>(sysconf(_SC_NPROCESSORS_ONLN));
  std::ifstream cpu("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpu, line))
    if (line.rfind("model name", 0) == 0) {
      auto colon = line.find(':');
      if (colon != std::string::npos)
        m.cpu_model = line.substr(line.find_first_not_of(' ', colon + 1));
      break;
    }
  m.ram_bytes = status_kb("/proc/meminfo", "MemTotal:");
  utsname u{};
  if (uname(&u) == 0)
    m.kernel = u.release;
  return m;
}

} // namespace idclaim::bench
