// S5: server memory per idle WebSocket and per idle claim actor, from the
// growth of its resident set.

#include "bench/scenarios.hpp"

#include <cstdio>

#include "bench/proc_stats.hpp"
#include "bench/ws_fleet.hpp"

namespace idclaim::bench {

namespace {

namespace bhttp = boost::beast::http;

constexpr std::size_t idle_accounts = 20;
constexpr milliseconds settle{1000};

request_spec id_check(const std::string& id) {
  request_spec s;
  s.method = bhttp::verb::post;
  s.target = "/api/v1/id-checks";
  s.body = nlohmann::json{{"id_type", "resident"}, {"id_number", id}}.dump();
  return s;
}

double signed_growth(std::uint64_t before, std::uint64_t after) {
  return static_cast<double>(after) - static_cast<double>(before);
}

/// How long the server keeps a finished request's timeout entry (its actor
/// round-trip deadline, 10 s by default) plus a margin: RSS read before
/// then still holds the entries of the last 10 s of requests, which belong
/// to the load, not to the idle actors it left behind.
constexpr milliseconds request_timeouts_gone{11000};

/// Starts `count` claim actors from `base` on: one id-check each on a
/// distinct free ID (which writes nothing); the actors live until their
/// idle timeout.
run_record start_actors(bench_context& ctx, server_handle& srv,
                        std::uint64_t base, std::uint64_t count,
                        const std::string& label) {
  auto p = ctx.plan(srv, "S5", label);
  p.connections = 64;
  p.measure = milliseconds{600000};
  p.max_requests = count;
  p.make = [&ids = ctx.ids, base](std::uint64_t seq) {
    return id_check(ids.resident_id(base + seq));
  };
  return ctx.run(p, false);
}

/// Claim actors, in two equal halves. The figure is the second half's
/// growth per actor: the marginal cost of one more idle actor. The first
/// half absorbs what the load itself leaves in the server (connection
/// buffers, allocator arenas, the registry's first rehashes), which an
/// average over all actors would spread over them.
void measure_actors(bench_context& ctx, server_handle& srv,
                    scenario_outcome& out) {
  auto n = ctx.sc.s5_actors;
  auto warm_id = ctx.ids.resident_id(ctx.take_ids(1));
  // Warm the connections, buffers and allocator on one ID first.
  auto warm = ctx.plan(srv, "S5", "id-check one ID (warm-up)");
  warm.connections = 64;
  warm.measure = milliseconds{1000};
  warm.make = [warm_id](std::uint64_t) { return id_check(warm_id); };
  warm.progress = false;
  run_load(warm);
  pause_for(settle);
  auto before = rss_bytes(srv.pid());
  auto base = ctx.take_ids(n);
  auto first = start_actors(ctx, srv, base, n / 2,
                            "id-check distinct IDs (actors, first half)");
  pause_for(request_timeouts_gone);
  auto middle = rss_bytes(srv.pid());
  auto second = start_actors(ctx, srv, base + n / 2, n - n / 2,
                             "id-check distinct IDs (actors, second half)");
  pause_for(request_timeouts_gone);
  auto after = rss_bytes(srv.pid());
  auto total = first.ok + second.ok;
  auto per = second.ok > 0
               ? signed_growth(middle, after) / static_cast<double>(second.ok)
               : 0;
  auto average = total > 0 ? signed_growth(before, after)
                               / static_cast<double>(total)
                           : 0;
  ctx.set("s5.bytes_per_actor", per);
  ctx.set("s5.bytes_per_actor_average", average);
  out.data["actors"] = {{"count", total},
                        {"rss_before", before},
                        {"rss_middle", middle},
                        {"rss_after", after}};
  char text[400];
  std::snprintf(text, sizeof text,
                "%llu claim actors (one id-check each on a distinct free ID, "
                "%.0f/s): server RSS %s -> %s -> %s; %.0f bytes per actor "
                "in the second half (%.0f averaged over all)",
                static_cast<unsigned long long>(total), second.ok_per_s,
                bytes_text(static_cast<double>(before)).c_str(),
                bytes_text(static_cast<double>(middle)).c_str(),
                bytes_text(static_cast<double>(after)).c_str(), per, average);
  out.notes.push_back(text);
  out.notes.push_back("per actor includes its registry entry, its link to "
                      "the registry and cached claim state; RSS is read "
                      "11 s after each half, once the requests' timeout "
                      "entries are gone");
}

/// Idle WebSockets: N sockets on a few accounts, then the RSS growth.
bool measure_sockets(bench_context& ctx, server_handle& srv,
                     scenario_outcome& out) {
  try {
    ctx.require_endpoint(srv, bhttp::verb::get, "/api/v1/events", "",
                         "application/json");
  } catch (const endpoint_missing& e) {
    out.notes.push_back(std::string{"WebSocket part skipped: endpoint "
                                    "missing ("}
                        + e.what() + ")");
    return false;
  }
  sync_client c{srv.host(), srv.port()};
  std::vector<std::string> tokens;
  auto base = ctx.take_ids(idle_accounts);
  for (std::size_t i = 0; i < idle_accounts; ++i) {
    auto r = register_account(c, ctx.ids, "w", base + i,
                              ctx.ids.resident_id(base + i), false);
    if (r.status != 201)
      throw std::runtime_error("S5 setup: registration answered "
                               + std::to_string(r.status));
    tokens.push_back(
      login(c, ctx.ids.username("w", base + i), std::string{bench_password}));
  }
  ws_fleet fleet{srv.host(), srv.port()};
  // A few sockets first, so one-time costs are not spread over the rest.
  fleet.open(
    100, [&](std::size_t i) { return tokens[i % tokens.size()]; }, 32, false,
    "S5 warm-up sockets");
  pause_for(settle);
  auto before = rss_bytes(srv.pid());
  auto n = ctx.sc.s5_sockets;
  auto res = fleet.open(
    n, [&](std::size_t i) { return tokens[i % tokens.size()]; }, 128, true,
    "S5 idle sockets");
  if (res.opened == 0)
    throw std::runtime_error("S5: no WebSocket opened: " + res.first_error);
  pause_for(settle);
  auto after = rss_bytes(srv.pid());
  auto grown = signed_growth(before, after);
  auto per = grown / static_cast<double>(res.opened);
  ctx.set("s5.bytes_per_ws", per);
  out.data["websockets"] = {{"count", res.opened},
                            {"failed", res.failed},
                            {"rss_before", before},
                            {"rss_after", after}};
  char text[300];
  std::snprintf(text, sizeof text,
                "%zu idle WebSockets (%zu failed, opened in %.1f s): server "
                "RSS %s -> %s, %.0f bytes per socket (user space only; "
                "kernel socket buffers are not in RSS)",
                res.opened, res.failed, res.seconds,
                bytes_text(static_cast<double>(before)).c_str(),
                bytes_text(static_cast<double>(after)).c_str(), per);
  out.notes.push_back(text);
  return true;
}

} // namespace

void run_s5(bench_context& ctx, scenario_outcome& out) {
  if (ctx.external() && ctx.opts.target_pid <= 0)
    throw scenario_skipped("needs the server's pid (--target-pid) to read "
                           "its RSS");
  ctx.release_shared();
  auto so = ctx.server_defaults("fast");
  // Keep the claim actors alive for the whole measurement.
  so.extra_args.insert(so.extra_args.end(), {"--max-connections", "19000",
                                             "--claim-idle-seconds", "3600"});
  auto srv = ctx.start_server(so);
  measure_actors(ctx, *srv, out);
  if (!measure_sockets(ctx, *srv, out))
    out.status = "ok (WebSocket part skipped: endpoint missing)";
}

} // namespace idclaim::bench
