#define CAF_SUITE cluster.nginx
#include <caf/test/unit_test.hpp>

// The multi-process tests of issue 7: three `idclaim serve` processes and
// nginx on one PostgreSQL, started by scripts/cluster-test.sh, which points
// IDCLAIM_CLUSTER at a directory holding `database_url`, `secret.keys`,
// `ports` ("NGINX A B C") and `ctl.sh` (`ctl.sh kill|start 0..2`). Without
// it every test skips itself, so a plain ctest run passes by.

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

#include "tests/support/api_steps.hpp"
#include "tests/support/classroom.hpp"
#include "tests/support/concurrently.hpp"
#include "tests/support/images.hpp"
#include "tests/support/ws_client.hpp"

using namespace idclaim;
using namespace idclaim::testing;
using namespace std::chrono_literals;
namespace bh = boost::beast::http;

namespace {

std::string cluster_dir() {
  auto dir = std::getenv("IDCLAIM_CLUSTER");
  return dir ? dir : "";
}

std::string trimmed_file(const std::string& path) {
  auto text = read_file(path);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.pop_back();
  return text;
}

/// Two digits, for user names that stay unique across rounds.
std::string two(int n) {
  return (n < 10 ? "0" : "") + std::to_string(n);
}

struct fixture {
  std::string dir = cluster_dir();
  unsigned short nginx = 0;
  std::vector<unsigned short> procs; ///< A, B, C
  /// An in-process service on the cluster's database, only for setting up
  /// what no endpoint sets (bound mobiles, staff) and for looking at rows.
  std::unique_ptr<test_service> helper;
  std::unique_ptr<http_client> cn; ///< through nginx

  fixture() {
    if (dir.empty())
      return;
    std::istringstream ports{trimmed_file(dir + "/ports")};
    unsigned p = 0;
    ports >> p;
    nginx = static_cast<unsigned short>(p);
    while (ports >> p)
      procs.push_back(static_cast<unsigned short>(p));
    CAF_REQUIRE_EQUAL(procs.size(), 3u);
    auto url = trimmed_file(dir + "/database_url");
    auto keys = dir + "/secret.keys";
    helper = std::make_unique<test_service>([&](config::settings& s) {
      s.database = url;
      s.key_file = keys;
    });
    cn = std::make_unique<http_client>("127.0.0.1", nginx);
  }

  http_client to(unsigned short port) const {
    return http_client{"127.0.0.1", port};
  }

  void ctl(const std::string& what, int process) {
    auto cmd = dir + "/ctl.sh " + what + " " + std::to_string(process);
    CAF_REQUIRE_EQUAL(std::system(cmd.c_str()), 0);
  }

  /// How many accounts whose user name starts with `prefix` have `status`.
  int64_t accounts_with(const std::string& prefix, const std::string& status) {
    int64_t n = 0;
    in_storage(*helper, [&](storage::connection& conn) {
      n = conn.driver()
            .exec("SELECT count(*) FROM accounts WHERE username_key LIKE ?1 "
                  "AND status = ?2",
                  {prefix + "%", status})
            .rows.at(0)
            .integer(0);
    });
    return n;
  }

  /// Every user name starting with `prefix`.
  std::set<std::string> usernames(const std::string& prefix) {
    std::set<std::string> out;
    in_storage(*helper, [&](storage::connection& conn) {
      auto r = conn.driver().exec(
        "SELECT username_key FROM accounts WHERE username_key LIKE ?1",
        {prefix + "%"});
      for (auto& row : r.rows)
        out.insert(row.text(0));
    });
    return out;
  }
};

} // namespace

#define REQUIRE_CLUSTER()                                                      \
  if (!helper) {                                                               \
    CAF_MESSAGE("SKIPPED: needs IDCLAIM_CLUSTER (scripts/cluster-test.sh)");   \
    return;                                                                    \
  }                                                                            \
  static_cast<void>(0)

CAF_TEST_FIXTURE_SCOPE(cluster_tests, fixture)

CAF_TEST(fifty registrations on one ID leave exactly one active) {
  REQUIRE_CLUSTER();
  for (int round = 0; round < 20; ++round) {
    // Even rounds go through nginx, odd ones straight at the processes.
    bool direct = round % 2 == 1;
    auto id = nth_resident_id(50000 + round);
    auto prefix = "rg" + two(round) + "n";
    std::atomic<int> created{0};
    concurrently(50, [&](int i) {
      auto c = to(direct ? procs[i % 3] : nginx);
      auto r = call(c, bh::verb::post, "/api/v1/accounts",
                    registration_body(prefix + two(i) + "x", id, true));
      if (r.status == 201)
        created += 1;
    });
    CAF_MESSAGE("round " << round << (direct ? " direct" : " nginx"));
    CAF_CHECK_EQUAL(created.load(), 50);
    CAF_CHECK_EQUAL(accounts_with(prefix, "active"), 1);
  }
}

CAF_TEST(twenty assist attempts spread over three processes count five) {
  REQUIRE_CLUSTER();
  auto op = staff_token(*helper, *cn, "operator", "clusterop1");
  auto r = make_classroom(*helper, *cn, op, 1);
  std::mutex m;
  std::map<unsigned, int> statuses;
  concurrently(20, [&](int i) {
    auto c = to(procs[i % 3]);
    auto x = call(c, bh::verb::post, "/api/v1/assist-requests",
                  {{"classmate_name", "某某某"},
                   {"classmate_mobile", "13600000000"},
                   {"own_mobile", "13700001234"}},
                  r.requester_token);
    std::lock_guard<std::mutex> guard{m};
    statuses[x.status] += 1;
  });
  CAF_CHECK_EQUAL(statuses[422], 5);
  CAF_CHECK_EQUAL(statuses[429], 15);
  auto quota = call(*cn, bh::verb::get, "/api/v1/assist-requests/quota",
                    nullptr, r.requester_token);
  CAF_CHECK_EQUAL(quota.body["used"], 5);
}

CAF_TEST(review approval on A racing assist approval on B resolves once) {
  REQUIRE_CLUSTER();
  auto op = staff_token(*helper, *cn, "operator", "clusterop2");
  auto reviewer = staff_token(*helper, *cn, "reviewer", "clusterrv1");
  for (int round = 0; round < 20; ++round) {
    auto r = make_classroom(*helper, *cn, op, 10 + round);
    CAF_REQUIRE_EQUAL(
      ask_classmate(*cn, r, r.classmate_name, r.classmate_mobile).status, 201u);
    auto item = classmate_inbox_item(*cn, r);
    auto review = submit_photos(*cn, r.requester_token, make_jpeg(16, 16),
                                make_jpeg(16, 16));
    CAF_REQUIRE_EQUAL(review.status, 201u);
    auto case_id = review.body["review"]["id"].get<int64_t>();
    std::atomic<int> won{0};
    std::atomic<int> lost{0};
    concurrently(2, [&](int i) {
      auto own = to(procs[i]);
      auto x = i == 0
                 ? call(own, bh::verb::post,
                        "/api/v1/admin/reviews/" + std::to_string(case_id)
                          + "/approve",
                        nlohmann::json::object(), reviewer)
                 : call(own, bh::verb::post,
                        "/api/v1/inbox/" + std::to_string(item) + "/approve",
                        nlohmann::json::object(), r.classmate_token);
      if (x.status == 200)
        won += 1;
      else if (x.status == 409
               && (x.error_code() == "CASE_CLOSED"
                   || x.error_code() == "REQUEST_CLOSED"))
        lost += 1;
    });
    CAF_MESSAGE("round " << round);
    CAF_CHECK_EQUAL(won.load(), 1);
    CAF_CHECK_EQUAL(lost.load(), 1);
    CAF_CHECK_EQUAL(status_of(*helper, r.requester), "active");
    CAF_CHECK_EQUAL(status_of(*helper, r.holder), "cancelled");
    int resolutions = 0;
    in_storage(*helper, [&](storage::connection& conn) {
      auto claim = conn.accounts().find(r.requester)->claim;
      for (auto& e : conn.claims().events(claim))
        resolutions += e.kind.rfind("resolved_by_", 0) == 0;
    });
    CAF_CHECK_EQUAL(resolutions, 1);
  }
}

CAF_TEST(an assist request sent through A updates a socket on C in a second) {
  REQUIRE_CLUSTER();
  auto op = staff_token(*helper, *cn, "operator", "clusterop3");
  auto r = make_classroom(*helper, *cn, op, 40);
  ws_client ws{procs[2]};
  CAF_REQUIRE_EQUAL(ws.handshake("/api/v1/events?token=" + r.classmate_token),
                    101u);
  CAF_REQUIRE_EQUAL(read_first_frames(ws).unread, std::optional<int64_t>{0});
  auto a = to(procs[0]);
  auto sent = std::chrono::steady_clock::now();
  CAF_REQUIRE_EQUAL(
    ask_classmate(a, r, r.classmate_name, r.classmate_mobile).status, 201u);
  std::optional<int64_t> unread;
  while (auto frame = ws.next(1s))
    if ((*frame)["type"] == "inbox") {
      unread = (*frame)["unread"].get<int64_t>();
      break;
    }
  CAF_CHECK_EQUAL(unread, std::optional<int64_t>{1});
  CAF_CHECK(std::chrono::steady_clock::now() - sent < 1s);
  // Through nginx too: the WebSocket upgrade passes the proxy.
  ws_client proxied{nginx};
  CAF_CHECK_EQUAL(
    proxied.handshake("/api/v1/events?token=" + r.classmate_token), 101u);
  CAF_CHECK_EQUAL(read_first_frames(proxied).unread, std::optional<int64_t>{1});
}

CAF_TEST(killing a process under load loses no acknowledged write) {
  REQUIRE_CLUSTER();
  // Threads 0-1 write to B (which dies), 2-3 through nginx, 4-5 to A and C.
  constexpr int threads = 6;
  std::mutex m;
  std::condition_variable cv;
  std::set<std::string> acked;
  int acked_elsewhere = 0; ///< acknowledged by A, C or nginx after the kill
  int acked_via_nginx = 0; ///< of those, through nginx
  bool killed = false;
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  auto target = [&](int t) -> unsigned short {
    switch (t / 2) {
    case 0:
      return procs[1];
    case 1:
      return nginx;
    default:
      return procs[t % 2 == 0 ? 0 : 2];
    }
  };
  std::vector<std::thread> load;
  for (int t = 0; t < threads; ++t)
    load.emplace_back([&, t] {
      for (int j = 0; !stop; ++j) {
        auto name = "kl" + std::to_string(t) + "n" + std::to_string(j) + "x";
        try {
          auto c = to(target(t));
          auto r = call(c, bh::verb::post, "/api/v1/accounts",
                        registration_body(
                          name, nth_resident_id(60000 + t * 5000 + j), true));
          if (r.status != 201) {
            failures += 1;
            continue;
          }
          std::lock_guard<std::mutex> guard{m};
          acked.insert(name);
          if (killed && t >= 2) {
            acked_elsewhere += 1;
            acked_via_nginx += t < 4;
          }
          cv.notify_all();
        } catch (const std::exception&) {
          failures += 1;
          // B is gone: its threads stop instead of spinning on refusals.
          if (t < 2)
            return;
        }
      }
    });
  {
    std::unique_lock<std::mutex> lock{m};
    CAF_CHECK(cv.wait_for(lock, 30s, [&] { return acked.size() >= 30; }));
  }
  ctl("kill", 1);
  {
    std::lock_guard<std::mutex> guard{m};
    killed = true;
  }
  {
    std::unique_lock<std::mutex> lock{m};
    CAF_CHECK(cv.wait_for(lock, 30s, [&] {
      return acked_elsewhere >= 40 && acked_via_nginx >= 10;
    }));
  }
  ctl("start", 1);
  // The restarted process serves again, and sees what the others wrote.
  auto b = to(procs[1]);
  CAF_CHECK_EQUAL(
    call(b, bh::verb::post, "/api/v1/accounts",
         registration_body("kl9rejoinx", nth_resident_id(59999), true))
      .status,
    201u);
  stop = true;
  for (auto& th : load)
    th.join();
  CAF_MESSAGE(acked.size() << " acknowledged, " << failures.load()
                           << " failed");
  auto stored = usernames("kl");
  std::vector<std::string> lost;
  for (auto& name : acked)
    if (!stored.count(name))
      lost.push_back(name);
  CAF_CHECK_EQUAL(lost.size(), 0u);
  CAF_CHECK(stored.count("kl9rejoinx") == 1);
}

CAF_TEST_FIXTURE_SCOPE_END()
