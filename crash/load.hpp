#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "crash/ledger.hpp"

namespace idclaim::crash {

/// What the load talks to and with.
struct load_options {
  unsigned short port = 0;
  std::size_t threads = 4;
  std::string photo;    ///< bytes of a valid JPEG for reviews
  std::string reviewer; ///< a reviewer's username
  std::string reviewer_password;
};

/// The traffic of the crash test: new registrations, registrations racing
/// for the same ID (three per ID), review submissions and approvals, and
/// assist requests that use up the daily five. Every 2xx answer goes into
/// the ledger; a request cut off by the kill has no known outcome and is
/// not retried. Counters live across rounds, so names and IDs never repeat.
class load {
public:
  load(load_options options, ledger& book);

  /// Runs `threads` clients until `stop` turns true; returns the number of
  /// requests answered (any status).
  uint64_t run_until(const std::atomic<bool>& stop, uint64_t seed);

private:
  void client_loop(const std::atomic<bool>& stop, uint64_t seed);

  load_options opt_;
  ledger& book_;
  std::atomic<uint64_t> next_unique_{0};
  std::atomic<uint64_t> next_contested_{0};
  std::atomic<uint64_t> next_assist_{0};
  std::atomic<uint64_t> answered_{0};
};

/// The `n`-th valid resident ID number of a region (6 digits).
std::string crash_id_number(const std::string& region, uint64_t n);

} // namespace idclaim::crash
