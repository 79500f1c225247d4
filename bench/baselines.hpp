#pragma once

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include "crypto/password_hash.hpp"

namespace idclaim::bench {

/// The cost of the password hash alone, in this process, with exactly the
/// parameters the server uses (crypto::hash_password).
struct hash_baseline {
  std::string cost;     ///< fast / interactive / moderate
  int samples = 0;      ///< single-thread hashes timed
  double median_ms = 0; ///< time of one hash, one thread
  double min_ms = 0;
  unsigned threads = 0;      ///< threads in the parallel run (= cores)
  double parallel_per_s = 0; ///< hashes/s with `threads` threads at once
  /// cores ÷ time of one hash: the ceiling the targets compare against.
  double ideal_per_s = 0;
};

/// Times `samples` hashes on one thread, then `threads` threads hashing
/// at once for about `parallel_for`.
hash_baseline measure_hash(crypto::hash_cost cost, int samples,
                           unsigned threads,
                           std::chrono::milliseconds parallel_for);

/// The cost of durable commits in SQLite, in this process: WAL mode, the
/// given synchronous= setting, rows shaped like an account row.
struct commit_baseline {
  std::string sync; ///< FULL or NORMAL
  int rows_per_tx = 1;
  int transactions = 0;
  double per_tx_ms = 0; ///< mean time of one transaction
  double rows_per_s = 0;
};

/// Runs `transactions` transactions of `rows_per_tx` inserts each in a new
/// database file under `dir` (removed afterwards).
/// @throws std::runtime_error when SQLite fails.
commit_baseline measure_commits(const std::string& dir, const std::string& sync,
                                int transactions, int rows_per_tx);

nlohmann::json to_json(const hash_baseline& h);
nlohmann::json to_json(const commit_baseline& c);

} // namespace idclaim::bench
