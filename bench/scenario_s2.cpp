// S2: registrations contending on one ID and on 50 IDs, then the invariant.

#include "bench/scenarios.hpp"

#include <cstdio>
#include <mutex>
#include <vector>

#include <sqlite3.h>

namespace idclaim::bench {

namespace {

namespace bhttp = boost::beast::http;

constexpr std::size_t clients = 256;

/// What the 201 answers said about one contended ID.
struct id_tally {
  std::uint64_t created = 0;
  std::vector<std::string> active;     ///< usernames answered "active"
  std::vector<std::string> restricted; ///< a few answered "restricted"
};

/// Counts (from storage, read-only) claims with more than one active
/// account, and for the `k` claims with the most accounts, those whose
/// active count is not exactly one. Returns -1 when the file cannot be read.
int db_violations(const std::string& data_dir, std::size_t k,
                  std::string& detail) {
  sqlite3* db = nullptr;
  auto path = data_dir + "/idclaim.sqlite3";
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr)
      != SQLITE_OK) {
    sqlite3_close(db);
    return -1;
  }
  sqlite3_busy_timeout(db, 5000);
  int violations = 0;
  auto scalar = [&](const std::string& sql) -> int64_t {
    sqlite3_stmt* st = nullptr;
    int64_t v = -1;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK
        && sqlite3_step(st) == SQLITE_ROW)
      v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
  };
  auto doubles = scalar("SELECT count(*) FROM (SELECT claim_id FROM accounts "
                        "WHERE status = 'active' GROUP BY claim_id "
                        "HAVING count(*) > 1)");
  auto wrong = scalar(
    "SELECT count(*) FROM (SELECT claim_id, sum(status = 'active') AS a "
    "FROM accounts GROUP BY claim_id ORDER BY count(*) DESC LIMIT "
    + std::to_string(k) + ") WHERE a <> 1");
  sqlite3_close(db);
  if (doubles < 0 || wrong < 0)
    return -1;
  violations = static_cast<int>(doubles + wrong);
  detail = "storage: " + std::to_string(doubles)
           + " claims with two active accounts, " + std::to_string(wrong)
           + " of the " + std::to_string(k)
           + " most-contended claims without exactly one";
  return violations;
}

/// Registers on `k` IDs from 256 clients, then checks the invariant three
/// ways: the 201 answers, logins + GET /me, and (for our own server) the
/// database. Returns the number of violations.
int contend(bench_context& ctx, server_handle& srv, std::size_t k,
            const std::string& key, scenario_outcome& out) {
  auto base = ctx.take_ids(5'000'000);
  std::vector<std::string> id_of;
  for (std::size_t i = 0; i < k; ++i)
    id_of.push_back(ctx.ids.resident_id(base + i));
  std::mutex m;
  std::vector<id_tally> tally(k);
  auto p = ctx.plan(srv, "S2",
                    "register " + std::to_string(k) + " ID"
                      + (k == 1 ? "" : "s") + " C=256");
  p.mode = loop_mode::closed;
  p.connections = clients;
  p.warmup = ctx.sc.warmup;
  p.measure = ctx.sc.measure;
  p.make = [&ids = ctx.ids, &id_of, base, k](std::uint64_t seq) {
    request_spec s;
    s.method = bhttp::verb::post;
    s.target = "/api/v1/accounts";
    s.body = registration_body(ids, "c", base + k + seq, id_of[seq % k], true)
               .dump();
    return s;
  };
  p.sink
    = [&](std::uint64_t seq, bench_clock::time_point, const http_answer& res) {
        if (res.result_int() != 201)
          return;
        auto body = nlohmann::json::parse(res.body(), nullptr, false);
        if (!body.is_object() || !body.contains("account"))
          return;
        auto status = body["account"].value("status", "");
        auto name = body["account"].value("username", "");
        std::lock_guard<std::mutex> lock(m);
        auto& t = tally[seq % k];
        ++t.created;
        if (status == "active")
          t.active.push_back(name);
        else if (status == "restricted" && t.restricted.size() < 3)
          t.restricted.push_back(name);
      };
  auto r = ctx.run(p, true);
  ctx.set("s2." + key + "_rps.c256", r.ok_per_s);
  for (auto& [status, n] : r.statuses)
    if (status != 201)
      out.notes.push_back(p.label + ": " + std::to_string(n) + " answers "
                          + std::to_string(status));
  bool all_answered = r.timeouts + r.transport_errors + r.unfinished == 0;
  int violations = 0;
  std::uint64_t created = 0;
  for (std::size_t i = 0; i < k; ++i) {
    auto& t = tally[i];
    created += t.created;
    if (t.active.size() > 1 || (t.active.empty() && all_answered)) {
      ++violations;
      out.notes.push_back("VIOLATION: ID #" + std::to_string(i) + " got "
                          + std::to_string(t.active.size())
                          + " active accounts in 201 answers");
    }
  }
  // Ask the server itself: each account answered active must say so on
  // GET /me, and a few restricted ones must say restricted.
  sync_client c{srv.host(), srv.port()};
  std::size_t logins = 0;
  for (auto& t : tally) {
    auto check = [&](const std::string& user, const std::string& want) {
      auto token = login(c, user, std::string{bench_password});
      auto me = c.json(bhttp::verb::get, "/api/v1/me", nullptr, token);
      ++logins;
      if (me.status != 200 || me.body.value("status", "") != want) {
        ++violations;
        out.notes.push_back("VIOLATION: an account answered " + want + " shows "
                            + me.body.value("status", "?")
                            + " on GET /api/v1/me");
      }
    };
    for (auto& u : t.active)
      check(u, "active");
    for (auto& u : t.restricted)
      check(u, "restricted");
  }
  std::string detail;
  if (srv.managed() && !srv.data_dir().empty()) {
    auto dbv = db_violations(srv.data_dir(), k, detail);
    if (dbv < 0)
      detail = "storage check not possible";
    else
      violations += dbv;
  }
  char text[300];
  std::snprintf(text, sizeof text,
                "%s: %llu accounts created on %zu IDs, %d violations "
                "(checked: 201 bodies, %zu logins + GET /me%s%s)",
                p.label.c_str(), static_cast<unsigned long long>(created), k,
                violations, logins, detail.empty() ? "" : ", ", detail.c_str());
  out.notes.push_back(text);
  if (!all_answered)
    out.notes.push_back(p.label
                        + ": some requests had no answer; an ID with no "
                          "active answer is not counted as a violation");
  return violations;
}

} // namespace

void run_s2(bench_context& ctx, scenario_outcome& out) {
  auto& srv = ctx.shared_fast();
  int violations = contend(ctx, srv, 1, "one_id", out);
  violations += contend(ctx, srv, 50, "fifty_ids", out);
  ctx.set("s2.violations", violations);
  if (violations > 0) {
    std::printf("\n  !!! S2 FOUND %d INVARIANT VIOLATIONS !!!\n\n", violations);
    std::fflush(stdout);
  }
}

} // namespace idclaim::bench
