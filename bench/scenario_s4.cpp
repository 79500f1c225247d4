// S4: notification latency, from sending POST /api/v1/assist-requests to
// the {"type":"inbox"} frame arriving on the classmate's WebSocket, with
// 1,000 and 10,000 idle sockets connected.

#include "bench/scenarios.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>

#include "bench/proc_stats.hpp"
#include "bench/ws_fleet.hpp"

namespace idclaim::bench {

namespace {

namespace bhttp = boost::beast::http;

constexpr std::size_t per_requester = 5; ///< the daily assist limit
constexpr std::size_t idle_accounts = 20;
constexpr const char* operator_name = "benchoperator";
constexpr const char* operator_password = "Bench-oper-1";
/// How long after the last send a missing frame counts as lost.
constexpr milliseconds frame_deadline{5000};

/// A bench account.
struct person {
  std::string username;
  std::string name;
  std::string mobile;
  std::string id;
  std::string token;
};

/// The people of one measured round: requester r asks classmates
/// r*5 .. r*5+4, each exactly once.
struct round_people {
  std::vector<person> requesters;
  std::vector<person> classmates; ///< indices into the watched fleet follow
  std::size_t first_socket = 0;   ///< watched-fleet index of classmate 0
};

/// Registers `who` (restricted when acknowledging a held ID); throws
/// unless the answer is 201 with status `want`.
void register_person(sync_client& c, const person& who, bool acknowledge,
                     const std::string& want) {
  nlohmann::json body{{"username", who.username}, {"password", bench_password},
                      {"name", who.name},         {"id_type", "resident"},
                      {"id_number", who.id},      {"mobile", who.mobile}};
  if (acknowledge)
    body["acknowledge_duplicate"] = true;
  auto r = c.json(bhttp::verb::post, "/api/v1/accounts", body);
  if (r.status != 201 || r.body["account"].value("status", "") != want)
    throw std::runtime_error("S4 setup: registration answered "
                             + std::to_string(r.status) + " " + r.error_code());
}

/// The SMS codes in the embedded gateway's outbox, by recipient.
std::map<std::string, std::string> read_outbox(const std::string& data_dir) {
  std::map<std::string, std::string> codes;
  std::ifstream in(data_dir + "/sms-outbox.jsonl");
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object() || !j.contains("to") || !j.contains("code"))
      continue;
    auto code
      = j["code"].is_string() ? j["code"].get<std::string>() : j["code"].dump();
    codes[j["to"].get<std::string>()] = code;
  }
  return codes;
}

/// Finds a code sent to `mobile` (the outbox may write +86 or spaces).
std::string code_for(const std::map<std::string, std::string>& codes,
                     const std::string& mobile) {
  for (auto& [to, code] : codes) {
    std::string digits;
    for (char ch : to)
      if (ch >= '0' && ch <= '9')
        digits += ch;
    if (digits.size() >= mobile.size()
        && digits.compare(digits.size() - mobile.size(), mobile.size(), mobile)
             == 0)
      return code;
  }
  return {};
}

/// Makes the accounts, student records and phone bindings of one round.
round_people set_up_round(bench_context& ctx, server_handle& srv,
                          sync_client& c, const std::string& op_token,
                          std::size_t samples, std::size_t round) {
  round_people out;
  auto requesters = (samples + per_requester - 1) / per_requester;
  auto base = ctx.take_ids(1'000'000);
  auto& ids = ctx.ids;
  std::string csv = "id_type,id_number,name,school,class,enrolment_year\n";
  std::string school = "北京理工大学";
  for (std::size_t r = 0; r < requesters; ++r) {
    auto n = base + r * 10;
    // The holder has the ID; the requester registers on it too and is
    // restricted. Both carry the record's name.
    person holder{
      ids.username("h", n), ids.name(n), ids.mobile(n), ids.resident_id(n), {}};
    person requester{
      ids.username("q", n), holder.name, ids.mobile(n + 1), holder.id, {}};
    register_person(c, holder, false, "active");
    register_person(c, requester, true, "restricted");
    requester.token = login(c, requester.username, std::string{bench_password});
    auto klass
      = "软件工程" + std::to_string(round) + "-" + std::to_string(r) + "班";
    csv += "resident," + requester.id + "," + requester.name + "," + school
           + "," + klass + ",2022\n";
    for (std::size_t j = 0; j < per_requester; ++j) {
      auto m = n + 2 + j;
      person mate{ids.username("m", m),
                  ids.name(m),
                  ids.mobile(m),
                  ids.resident_id(m),
                  {}};
      register_person(c, mate, false, "active");
      mate.token = login(c, mate.username, std::string{bench_password});
      csv += "resident," + mate.id + "," + mate.name + "," + school + ","
             + klass + ",2022\n";
      out.classmates.push_back(mate);
    }
    out.requesters.push_back(requester);
  }
  request_spec import;
  import.method = bhttp::verb::post;
  import.target = "/api/v1/admin/student-records";
  import.body = csv;
  import.content_type = "text/csv; charset=utf-8";
  import.token = op_token;
  auto res = c.call(import);
  if (res.result_int() / 100 != 2)
    throw std::runtime_error("S4 setup: student-record import answered "
                             + std::to_string(res.result_int()) + " "
                             + res.body().substr(0, 200));
  // Bind every classmate's phone: ask for all codes, read the outbox
  // once, then confirm.
  for (auto& mate : out.classmates) {
    auto r = c.json(bhttp::verb::post, "/api/v1/me/phone-binding/code",
                    {{"mobile", mate.mobile}}, mate.token);
    if (r.status / 100 != 2)
      throw std::runtime_error("S4 setup: phone-binding code answered "
                               + std::to_string(r.status) + " "
                               + r.error_code());
  }
  // The SMS actor may write the outbox a little after answering.
  auto codes = read_outbox(srv.data_dir());
  for (auto& mate : out.classmates) {
    auto code = code_for(codes, mate.mobile);
    for (int retry = 0; code.empty() && retry < 50; ++retry) {
      pause_for(milliseconds{100});
      codes = read_outbox(srv.data_dir());
      code = code_for(codes, mate.mobile);
    }
    if (code.empty())
      throw std::runtime_error("S4 setup: no SMS code in the outbox");
    auto r = c.json(bhttp::verb::post, "/api/v1/me/phone-binding",
                    {{"mobile", mate.mobile}, {"code", code}}, mate.token);
    if (r.status / 100 != 2)
      throw std::runtime_error("S4 setup: phone binding answered "
                               + std::to_string(r.status) + " "
                               + r.error_code());
  }
  return out;
}

/// Arrival times of the first frame with unread >= 1, per watched socket.
struct frame_times {
  explicit frame_times(std::size_t n) : first_unread(n), initial(n) {
    for (auto& t : first_unread)
      t.store(0);
    for (auto& t : initial)
      t.store(false);
  }
  std::vector<std::atomic<std::int64_t>> first_unread; ///< ns, 0 = none
  std::vector<std::atomic<bool>> initial; ///< a frame arrived on connect
};

std::int64_t ns_of(bench_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
           t.time_since_epoch())
    .count();
}

/// Sends one assist request per classmate of `people` and measures each
/// until its frame arrives. Sets s4.*.idle<idle>.
void measure_round(bench_context& ctx, server_handle& srv,
                   const round_people& people, frame_times& frames,
                   std::size_t idle, std::size_t idle_open, std::size_t samples,
                   scenario_outcome& out) {
  auto requesters = people.requesters.size();
  std::mutex m;
  std::vector<bench_clock::time_point> sent(samples);
  std::vector<unsigned> status(samples, 0);
  std::map<std::string, std::uint64_t> codes;
  auto p
    = ctx.plan(srv, "S4", "assist request, " + std::to_string(idle) + " idle");
  p.mode = loop_mode::open;
  p.rate = ctx.sc.s4_rate;
  p.connections = 8;
  p.threads = 1;
  p.warmup = milliseconds{0};
  p.measure = milliseconds{static_cast<std::int64_t>(std::ceil(
                             1000.0 * static_cast<double>(samples) / p.rate))
                           + 100};
  p.max_requests = samples;
  auto mate_of = [requesters](std::uint64_t seq) {
    return (seq % requesters) * per_requester + seq / requesters;
  };
  p.make = [&](std::uint64_t seq) {
    auto& r = people.requesters[seq % requesters];
    auto& mate = people.classmates[mate_of(seq)];
    request_spec s;
    s.method = bhttp::verb::post;
    s.target = "/api/v1/assist-requests";
    s.token = r.token;
    s.body = nlohmann::json{{"classmate_name", mate.name},
                            {"classmate_mobile", mate.mobile},
                            {"own_mobile", r.mobile}}
               .dump();
    return s;
  };
  p.sink = [&](std::uint64_t seq, bench_clock::time_point intended,
               const http_answer& res) {
    std::lock_guard<std::mutex> lock(m);
    sent[seq] = intended;
    status[seq] = res.result_int();
    if (res.result_int() != 201) {
      auto body = nlohmann::json::parse(res.body(), nullptr, false);
      auto code = std::to_string(res.result_int());
      if (body.is_object() && body.contains("error"))
        code += " " + body["error"].value("code", "");
      ++codes[code];
    }
  };
  auto http_run = ctx.run(p, false);
  // Wait for the frames of every accepted request, up to the deadline.
  auto until = bench_clock::now() + frame_deadline;
  auto missing = [&] {
    std::size_t n = 0;
    for (std::size_t seq = 0; seq < samples; ++seq)
      if (status[seq] == 201
          && frames.first_unread[people.first_socket + mate_of(seq)].load()
               == 0)
        ++n;
    return n;
  };
  while (missing() > 0 && bench_clock::now() < until)
    pause_for(milliseconds{20});
  latency_histogram h;
  std::size_t accepted = 0;
  std::size_t lost = 0;
  for (std::size_t seq = 0; seq < samples; ++seq) {
    if (status[seq] != 201)
      continue;
    ++accepted;
    auto at = frames.first_unread[people.first_socket + mate_of(seq)].load();
    if (at == 0) {
      ++lost;
      continue;
    }
    h.record(static_cast<std::uint64_t>(
      std::max<std::int64_t>(0, at - ns_of(sent[seq]))));
  }
  run_record r;
  r.scenario = "S4";
  r.label = "notify frame, " + std::to_string(idle) + " idle sockets";
  r.mode = "open";
  r.connections = people.classmates.size();
  r.offered_rate = p.rate;
  r.window_s = http_run.window_s;
  r.issued = samples;
  r.answered = accepted;
  r.ok = h.count();
  r.ok_in_window = h.count();
  r.ok_per_s = http_run.ok_per_s;
  r.unfinished = lost;
  r.statuses = http_run.statuses;
  r.ok_latency = summarize(h);
  r.plot = true;
  ctx.rep.runs.push_back(r);
  auto key = ".idle" + std::to_string(idle);
  ctx.set("s4.accepted" + key, static_cast<double>(accepted));
  ctx.set("s4.lost" + key, static_cast<double>(lost + (samples - accepted)));
  if (h.count() > 0) {
    ctx.set("s4.notify_p50_ms" + key, r.ok_latency.p50_ms);
    ctx.set("s4.notify_p99_ms" + key, r.ok_latency.p99_ms);
    ctx.set("s4.notify_max_ms" + key, r.ok_latency.max_ms);
  }
  char text[300];
  std::snprintf(text, sizeof text,
                "%zu idle sockets (%zu open): %zu of %zu assist requests "
                "accepted, "
                "%zu frames lost; send-to-frame p50 %.2f ms, p99 %.2f ms, "
                "max %.2f ms (HTTP answer p99 %.2f ms)",
                idle, idle_open, accepted, samples, lost, r.ok_latency.p50_ms,
                r.ok_latency.p99_ms, r.ok_latency.max_ms,
                http_run.ok_latency.p99_ms);
  out.notes.push_back(text);
  for (auto& [code, n] : codes)
    out.notes.push_back("  assist answers " + code + ": " + std::to_string(n));
}

} // namespace

void run_s4(bench_context& ctx, scenario_outcome& out) {
  if (ctx.external())
    throw scenario_skipped("needs a server of our own (operator account, "
                           "SMS outbox)");
  ctx.release_shared();
  auto so = ctx.server_defaults("fast");
  so.extra_args.insert(so.extra_args.end(), {"--max-connections", "19000"});
  so.staff.push_back({"operator", operator_name, operator_password});
  auto srv = ctx.start_server(so);
  // Every endpoint the scenario needs; a 404 skips it cleanly.
  std::vector<std::string> missing;
  auto probe = [&](bhttp::verb v, const std::string& target,
                   const std::string& body, const std::string& type) {
    try {
      ctx.require_endpoint(*srv, v, target, body, type);
    } catch (const endpoint_missing& e) {
      missing.push_back(e.what());
    }
  };
  probe(bhttp::verb::get, "/api/v1/events", "", "application/json");
  probe(bhttp::verb::post, "/api/v1/assist-requests", "{}", "application/json");
  probe(bhttp::verb::post, "/api/v1/admin/student-records", "", "text/csv");
  probe(bhttp::verb::post, "/api/v1/me/phone-binding/code", "{}",
        "application/json");
  if (!missing.empty()) {
    std::string all;
    for (auto& m : missing)
      all += (all.empty() ? "" : "; ") + m;
    throw endpoint_missing(all);
  }
  sync_client c{srv->host(), srv->port()};
  auto op_token = login(c, operator_name, operator_password);
  auto samples = ctx.sc.s4_samples;
  std::printf("  [S4] setting up %zu requesters and %zu classmates per "
              "round\n",
              (samples + per_requester - 1) / per_requester,
              samples
                + (per_requester - samples % per_requester) % per_requester);
  std::fflush(stdout);
  std::vector<round_people> rounds;
  for (std::size_t i = 0; i < ctx.sc.s4_idle.size(); ++i)
    rounds.push_back(set_up_round(ctx, *srv, c, op_token, samples, i));
  std::size_t watched = 0;
  for (auto& r : rounds) {
    r.first_socket = watched;
    watched += r.classmates.size();
  }
  frame_times frames{watched};
  ws_fleet classmates{srv->host(), srv->port(),
                      [&frames](std::size_t i, bench_clock::time_point at,
                                std::string_view text) {
                        auto j = nlohmann::json::parse(text, nullptr, false);
                        if (!j.is_object() || j.value("type", "") != "inbox")
                          return;
                        frames.initial[i].store(true);
                        auto unread = j.value("unread", 0);
                        std::int64_t none = 0;
                        if (unread >= 1)
                          frames.first_unread[i].compare_exchange_strong(
                            none, ns_of(at));
                      }};
  std::vector<std::string> mate_tokens;
  for (auto& r : rounds)
    for (auto& m : r.classmates)
      mate_tokens.push_back(m.token);
  auto opened = classmates.open(
    watched, [&](std::size_t i) { return mate_tokens[i]; }, 64, true,
    "S4 classmate sockets");
  if (opened.opened != watched)
    throw std::runtime_error("S4: only " + std::to_string(opened.opened)
                             + " of " + std::to_string(watched)
                             + " classmate sockets opened: "
                             + opened.first_error);
  pause_for(milliseconds{500});
  std::size_t initial = 0;
  for (auto& f : frames.initial)
    initial += f.load() ? 1 : 0;
  out.notes.push_back(std::to_string(initial) + " of " + std::to_string(watched)
                      + " classmate sockets got the current state on "
                        "connect");
  // Idle sockets on a few other accounts.
  std::vector<std::string> idle_tokens;
  auto idle_base = ctx.take_ids(idle_accounts);
  for (std::size_t i = 0; i < idle_accounts; ++i) {
    auto n = idle_base + i;
    auto r
      = register_account(c, ctx.ids, "i", n, ctx.ids.resident_id(n), false);
    if (r.status != 201)
      throw std::runtime_error("S4 setup: idle account registration failed");
    idle_tokens.push_back(
      login(c, ctx.ids.username("i", n), std::string{bench_password}));
  }
  ws_fleet idle{srv->host(), srv->port()};
  for (std::size_t i = 0; i < rounds.size(); ++i) {
    auto want = ctx.sc.s4_idle[i];
    auto rss0 = rss_bytes(srv->pid());
    if (want > idle.open_count()) {
      auto more = want - idle.open_count();
      auto res = idle.open(
        more,
        [&](std::size_t k) { return idle_tokens[k % idle_tokens.size()]; }, 128,
        true, "S4 idle sockets");
      if (res.failed > 0)
        out.notes.push_back(std::to_string(res.failed)
                            + " idle sockets failed to open: "
                            + res.first_error);
      pause_for(milliseconds{500});
      auto grown = static_cast<double>(rss_bytes(srv->pid()))
                   - static_cast<double>(rss0);
      out.notes.push_back(
        "opened " + std::to_string(res.opened) + " idle sockets in "
        + std::to_string(static_cast<int>(res.seconds * 1000))
        + " ms; server RSS +" + bytes_text(grown) + " ("
        + bytes_text(res.opened ? grown / static_cast<double>(res.opened) : 0)
        + " each)");
    }
    measure_round(ctx, *srv, rounds[i], frames, want, idle.open_count(),
                  samples, out);
  }
  if (idle.dropped() + classmates.dropped() > 0)
    out.notes.push_back(std::to_string(idle.dropped() + classmates.dropped())
                        + " sockets were closed by the server during the run");
}

} // namespace idclaim::bench
