#pragma once

#include <cstdint>
#include <string>

#include <sys/types.h>

namespace idclaim::bench {

/// Resident set size of process `pid` in bytes (VmRSS of
/// /proc/<pid>/status), or 0 when it cannot be read.
std::uint64_t rss_bytes(pid_t pid);

/// Peak resident set size (VmHWM) of `pid` in bytes, or 0.
std::uint64_t peak_rss_bytes(pid_t pid);

/// CPU time (user + system) process `pid` has used, in seconds, from
/// /proc/<pid>/stat; -1 when it cannot be read.
double cpu_seconds(pid_t pid);

/// CPU time this process has used, in seconds (all threads).
double own_cpu_seconds();

/// What the report says about the machine.
struct machine_info {
  unsigned cores = 0;          ///< online CPUs (what nproc prints)
  std::string cpu_model;       ///< "model name" of /proc/cpuinfo
  std::uint64_t ram_bytes = 0; ///< MemTotal of /proc/meminfo
  std::string kernel;          ///< uname -r
};

/// Reads the machine's facts.
machine_info describe_machine();

/// How busy the machine is right now: the load averages and, where the
/// kernel has it, the CPU pressure ("some avg60"), e.g.
/// "load 9.65 9.71 10.69, cpu pressure 96.5%". Other people's work on a
/// shared machine shows up here.
std::string machine_load();

} // namespace idclaim::bench
