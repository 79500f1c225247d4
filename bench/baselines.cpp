#include "bench/baselines.hpp"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <stdexcept>
#include <thread>
#include <vector>

#include <sqlite3.h>
#include <unistd.h>

namespace idclaim::bench {

namespace {

using bench_clock = std::chrono::steady_clock;

double ms_since(bench_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(bench_clock::now() - start)
    .count();
}

/// Owns one sqlite3 handle; throws on any failed statement.
class sqlite_file {
public:
  explicit sqlite_file(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK)
      throw std::runtime_error("cannot open " + path);
  }
  ~sqlite_file() {
    sqlite3_finalize(insert_);
    sqlite3_close(db_);
  }
  sqlite_file(const sqlite_file&) = delete;
  sqlite_file& operator=(const sqlite_file&) = delete;

  void exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string what = err ? err : "unknown error";
      sqlite3_free(err);
      throw std::runtime_error("sqlite: " + what);
    }
  }

  void prepare_insert() {
    const char* sql = "INSERT INTO accounts(username, cipher, hash) "
                      "VALUES (?1, ?2, ?3)";
    if (sqlite3_prepare_v2(db_, sql, -1, &insert_, nullptr) != SQLITE_OK)
      throw std::runtime_error("sqlite: cannot prepare the insert");
  }

  void insert(const std::string& username, const std::string& cipher,
              const std::string& hash) {
    sqlite3_reset(insert_);
    sqlite3_bind_text(insert_, 1, username.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob(insert_, 2, cipher.data(),
                      static_cast<int>(cipher.size()), SQLITE_TRANSIENT);
    sqlite3_bind_text(insert_, 3, hash.c_str(), -1, SQLITE_TRANSIENT);
    if (sqlite3_step(insert_) != SQLITE_DONE)
      throw std::runtime_error("sqlite: insert failed");
  }

private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
};

} // namespace

hash_baseline measure_hash(crypto::hash_cost cost, int samples,
                           unsigned threads,
                           std::chrono::milliseconds parallel_for) {
  hash_baseline h;
  h.cost = std::string{crypto::to_string(cost)};
  h.samples = std::max(1, samples);
  h.threads = std::max(1u, threads);
  // In a workspace kept across hashes, as the server's hash threads do;
  // one untimed hash first faults its memory in.
  crypto::argon2_workspace workspace;
  (void)crypto::hash_password("Bench-pass-1", cost, workspace);
  std::vector<double> times;
  for (int i = 0; i < h.samples; ++i) {
    auto start = bench_clock::now();
    (void)crypto::hash_password("Bench-pass-1", cost, workspace);
    times.push_back(ms_since(start));
  }
  std::sort(times.begin(), times.end());
  h.median_ms = times[times.size() / 2];
  h.min_ms = times.front();
  h.ideal_per_s = h.threads * 1000.0 / h.median_ms;
  std::atomic<std::uint64_t> done{0};
  auto start = bench_clock::now();
  auto until = start + parallel_for;
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < h.threads; ++t)
    pool.emplace_back([&] {
      crypto::argon2_workspace own;
      do {
        (void)crypto::hash_password("Bench-pass-1", cost, own);
        done.fetch_add(1);
      } while (bench_clock::now() < until);
    });
  for (auto& t : pool)
    t.join();
  h.parallel_per_s
    = static_cast<double>(done.load()) * 1000.0 / ms_since(start);
  return h;
}

commit_baseline measure_commits(const std::string& dir, const std::string& sync,
                                int transactions, int rows_per_tx) {
  namespace fs = std::filesystem;
  commit_baseline c;
  c.sync = sync;
  c.rows_per_tx = std::max(1, rows_per_tx);
  c.transactions = std::max(1, transactions);
  auto path = (fs::path(dir)
               / ("bench-commit-" + std::to_string(getpid()) + ".sqlite3"))
                .string();
  {
    sqlite_file db{path};
    db.exec("PRAGMA journal_mode=WAL");
    db.exec("PRAGMA synchronous=" + sync);
    db.exec("CREATE TABLE accounts (id INTEGER PRIMARY KEY, username TEXT "
            "UNIQUE NOT NULL, cipher BLOB NOT NULL, hash TEXT NOT NULL)");
    db.prepare_insert();
    // About the size of a real account row: sealed name, ID, mobile and
    // an Argon2id string.
    std::string cipher(180, 'c');
    std::string hash(97, 'h');
    int n = 0;
    auto start = bench_clock::now();
    for (int t = 0; t < c.transactions; ++t) {
      db.exec("BEGIN IMMEDIATE");
      for (int r = 0; r < c.rows_per_tx; ++r)
        db.insert("user" + std::to_string(n++), cipher, hash);
      db.exec("COMMIT");
    }
    auto total = ms_since(start);
    c.per_tx_ms = total / c.transactions;
    c.rows_per_s = n * 1000.0 / total;
  }
  std::error_code ec;
  for (auto suffix : {"", "-wal", "-shm"})
    fs::remove(path + suffix, ec);
  return c;
}

nlohmann::json to_json(const hash_baseline& h) {
  return {{"cost", h.cost},
          {"samples", h.samples},
          {"median_ms", h.median_ms},
          {"min_ms", h.min_ms},
          {"threads", h.threads},
          {"parallel_per_s", h.parallel_per_s},
          {"ideal_per_s", h.ideal_per_s}};
}

nlohmann::json to_json(const commit_baseline& c) {
  return {{"synchronous", c.sync},
          {"rows_per_tx", c.rows_per_tx},
          {"transactions", c.transactions},
          {"per_tx_ms", c.per_tx_ms},
          {"rows_per_s", c.rows_per_s}};
}

} // namespace idclaim::bench
