#pragma once

#include <string>
#include <vector>

#include "crash/ledger.hpp"

namespace idclaim::crash {

/// One invariant checked after the run, with what was seen.
struct check_result {
  std::string name;
  bool ok = true;
  std::string detail; ///< counts, or the first violations
};

/// Opens the stopped server's database (`database` a postgresql:// URL, or
/// "" for the SQLite file at `sqlite_path`) and checks it against what the
/// ledger says was acknowledged: every 2xx is durable, no claim has two
/// active accounts, no account has more than 5 assist attempts in a day,
/// every approval resolved its claim exactly once.
std::vector<check_result> check_invariants(const ledger& book,
                                           const std::string& database,
                                           const std::string& sqlite_path);

} // namespace idclaim::crash
