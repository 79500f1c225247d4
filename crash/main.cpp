// idclaim-crash: SIGKILLs a real `idclaim serve` under load again and
// again, restarts it on the same data, and checks that nothing acknowledged
// was lost and no invariant broke. scripts/crash-test.sh drives it; see
// docs/reliability.md.
//
// Why a C++ driver of its own (not a test in tests/, not a bench scenario):
// it owns a child process and kills it, which the in-process test binary
// must not do to itself; it needs many concurrent clients and exact 2xx
// bookkeeping, which a shell script cannot do well; and it reads the
// database directly afterwards through the storage drivers. It borrows the
// benchmark's HTTP client but is its own small binary, so neither the test
// suite nor the benchmark carries it.

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <sodium.h>

#include "crash/checks.hpp"
#include "crash/load.hpp"
#include "crash/server.hpp"
#include "crypto/key_set.hpp"

namespace fs = std::filesystem;
using namespace idclaim::crash;
using std::chrono::milliseconds;

namespace {

struct options {
  std::string binary = "build/idclaim";
  std::string work_dir;
  std::string database; ///< postgresql://... or "" for SQLite
  std::string photo = "fuzz/corpus/photo/tiny.jpg";
  int kills = 20;
  int min_ms = 200; ///< the load runs this long at least before a kill
  int max_ms = 1500;
  std::size_t threads = 4;
  uint64_t seed = 0; ///< 0: from the clock
};

const milliseconds ready_limit{5000};

bool parse(int argc, char** argv, options& o) {
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--binary")
      o.binary = v;
    else if (k == "--work-dir")
      o.work_dir = v;
    else if (k == "--database")
      o.database = v;
    else if (k == "--photo")
      o.photo = v;
    else if (k == "--kills")
      o.kills = std::stoi(v);
    else if (k == "--min-ms")
      o.min_ms = std::stoi(v);
    else if (k == "--max-ms")
      o.max_ms = std::stoi(v);
    else if (k == "--threads")
      o.threads = std::stoul(v);
    else if (k == "--seed")
      o.seed = std::stoull(v);
    else
      return false;
  }
  return argc % 2 == 1 && !o.work_dir.empty();
}

std::string read_all(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// The flags every `idclaim` subcommand of this run gets.
std::vector<std::string> storage_flags(const options& o,
                                       const std::string& data) {
  std::vector<std::string> f{"--data-dir", data};
  if (!o.database.empty())
    f.insert(f.end(),
             {"--database", o.database, "--key-file", data + "/secret.keys"});
  return f;
}

} // namespace

int main(int argc, char** argv) {
  options o;
  if (sodium_init() < 0 || !parse(argc, argv, o)) {
    std::cerr << "usage: idclaim-crash --work-dir DIR [--binary PATH] "
                 "[--database URL] [--kills N] [--min-ms MS] [--max-ms MS] "
                 "[--threads N] [--photo FILE] [--seed N]\n";
    return 2;
  }
  if (o.seed == 0)
    o.seed = static_cast<uint64_t>(
      std::chrono::system_clock::now().time_since_epoch().count());
  auto backend = o.database.empty() ? "sqlite" : "postgresql";
  auto data = o.work_dir + "/data";
  auto log = o.work_dir + "/server.log";
  fs::create_directories(data);
  if (!o.database.empty()
      && !idclaim::crypto::key_file_exists(data + "/secret.keys"))
    idclaim::crypto::create_key_file(data + "/secret.keys");
  auto staff = std::vector<std::string>{
    "staff",           "add",        "--role",     "reviewer",
    "--username",      "reviewer01", "--password", "Review-Passw0rd1",
    "--password-hash", "fast"};
  auto sf = storage_flags(o, data);
  staff.insert(staff.end(), sf.begin(), sf.end());
  if (run_to_end(o.binary, staff, log) != 0) {
    std::cerr << "idclaim-crash: staff add failed; see " << log << "\n";
    return 1;
  }
  auto port = pick_free_port();
  std::vector<std::string> serve{"serve",
                                 "--listen",
                                 "127.0.0.1:" + std::to_string(port),
                                 "--password-hash",
                                 "fast",
                                 "--log-level",
                                 "warn"};
  serve.insert(serve.end(), sf.begin(), sf.end());
  server srv{o.binary, serve, log, port};
  ledger book;
  load_options lo{port, o.threads, read_all(o.photo), "reviewer01",
                  "Review-Passw0rd1"};
  load traffic{lo, book};
  std::mt19937_64 rng{o.seed};
  std::uniform_int_distribution<int> delay{o.min_ms, o.max_ms};
  milliseconds slowest_ready{0};
  int late_starts = 0;
  uint64_t answered = 0;
  std::cout << "crash test on " << backend << ": " << o.kills << " kills, seed "
            << o.seed << "\n";
  for (int round = 0; round <= o.kills; ++round) {
    auto took = srv.start(round == 0 ? milliseconds{60000} : ready_limit);
    if (!took) {
      ++late_starts;
      std::cout << "round " << round << ": not ready within the limit\n";
      srv.kill_hard();
      took = srv.start(milliseconds{60000});
      if (!took) {
        std::cerr << "idclaim-crash: the server does not come back; see " << log
                  << "\n";
        return 1;
      }
    }
    if (round > 0)
      slowest_ready = std::max(slowest_ready, *took);
    if (round == o.kills)
      break;
    std::atomic<bool> stop{false};
    uint64_t n = 0;
    std::thread loader{
      [&] { n = traffic.run_until(stop, o.seed + round * 97); }};
    // The kill lands at a random moment of the load.
    std::this_thread::sleep_for(milliseconds{delay(rng)});
    srv.kill_hard();
    stop = true;
    loader.join();
    answered += n;
    std::cout << "round " << round + 1 << ": killed after " << n
              << " answers (ready in " << took->count() << " ms)\n";
  }
  int stop_status = srv.stop();
  auto results = check_invariants(book, o.database, data + "/idclaim.sqlite3");
  results.insert(results.begin(),
                 {"ready within 5 s of every restart", late_starts == 0,
                  "slowest " + std::to_string(slowest_ready.count()) + " ms, "
                    + std::to_string(late_starts) + " late"});
  results.push_back({"clean stop after the last restart", stop_status == 0,
                     "exit status " + std::to_string(stop_status)});
  bool ok = true;
  std::cout << "\n| backend | kills | answers | check | result | detail |\n"
               "|---|---|---|---|---|---|\n";
  for (auto& r : results) {
    ok = ok && r.ok;
    std::cout << "| " << backend << " | " << o.kills << " | " << answered
              << " | " << r.name << " | " << (r.ok ? "ok" : "FAILED") << " | "
              << r.detail << " |\n";
  }
  return ok ? 0 : 1;
}
