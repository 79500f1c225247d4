// S6: registration throughput as the account table grows.

#include "bench/scenarios.hpp"

#include <cstdio>
#include <filesystem>

#include "bench/proc_stats.hpp"

namespace idclaim::bench {

namespace {

constexpr std::size_t clients = 64;

/// Bytes of the SQLite file and its WAL.
double db_bytes(const server_handle& srv) {
  if (srv.data_dir().empty())
    return 0;
  std::error_code ec;
  double total = 0;
  for (auto suffix : {"", "-wal"}) {
    auto size = std::filesystem::file_size(
      srv.data_dir() + "/idclaim.sqlite3" + suffix, ec);
    if (!ec)
      total += static_cast<double>(size);
  }
  return total;
}

std::string count_text(std::uint64_t n) {
  char text[32];
  if (n >= 1000000 && n % 1000000 == 0)
    std::snprintf(text, sizeof text, "%llum",
                  static_cast<unsigned long long>(n / 1000000));
  else if (n >= 1000 && n % 1000 == 0)
    std::snprintf(text, sizeof text, "%lluk",
                  static_cast<unsigned long long>(n / 1000));
  else
    std::snprintf(text, sizeof text, "%llu",
                  static_cast<unsigned long long>(n));
  return text;
}

} // namespace

void run_s6(bench_context& ctx, scenario_outcome& out) {
  ctx.release_shared();
  auto srv = ctx.start_server(ctx.server_defaults("fast"));
  std::uint64_t accounts = 0;
  bool first = true;
  for (auto level : ctx.sc.s6_levels) {
    if (level > accounts) {
      auto base = ctx.take_ids(level - accounts);
      auto fill = ctx.plan(*srv, "S6", "fill to " + count_text(level));
      fill.connections = clients;
      fill.measure = milliseconds{3600 * 1000};
      fill.max_requests = level - accounts;
      fill.progress_every = milliseconds{5000};
      fill.make = [&ids = ctx.ids, base](std::uint64_t seq) {
        return distinct_registration(ids, base + seq);
      };
      auto start = bench_clock::now();
      auto r = run_load(fill);
      auto secs
        = std::chrono::duration<double>(bench_clock::now() - start).count();
      accounts += r.ok;
      char text[200];
      std::snprintf(text, sizeof text,
                    "filled to %llu accounts in %.0f s (%.0f/s, %llu not "
                    "created)",
                    static_cast<unsigned long long>(accounts), secs,
                    static_cast<double>(r.ok) / secs,
                    static_cast<unsigned long long>(fill.max_requests - r.ok));
      out.notes.push_back(text);
    }
    auto base = ctx.take_ids(5'000'000);
    auto p = ctx.plan(*srv, "S6", "register at " + count_text(level));
    p.connections = clients;
    p.warmup = ctx.sc.warmup;
    p.measure = ctx.sc.s6_measure;
    p.make = [&ids = ctx.ids, base](std::uint64_t seq) {
      return distinct_registration(ids, base + seq);
    };
    auto r = ctx.run(p, false);
    accounts += r.issued - r.transport_errors - r.timeouts;
    auto key = ".a" + std::to_string(level);
    ctx.set("s6.register_rps" + key, r.ok_per_s);
    ctx.set("s6.register_p99_ms" + key, r.ok_latency.p99_ms);
    auto rss = static_cast<double>(rss_bytes(srv->pid()));
    auto db = db_bytes(*srv);
    ctx.set("s6.rss" + key, rss);
    ctx.set("s6.db_bytes" + key, db);
    if (first)
      ctx.set("s6.register_rps.bottom", r.ok_per_s);
    first = false;
    ctx.set("s6.register_rps.top", r.ok_per_s);
    ctx.set("s6.accounts.top", static_cast<double>(level));
    char text[300];
    std::snprintf(text, sizeof text,
                  "at %s accounts: %.0f registrations/s, p99 %.1f ms; server "
                  "RSS %s, database %s",
                  count_text(level).c_str(), r.ok_per_s, r.ok_latency.p99_ms,
                  bytes_text(rss).c_str(), bytes_text(db).c_str());
    out.notes.push_back(text);
  }
}

} // namespace idclaim::bench
