#include "crash/load.hpp"

#include <cstdio>
#include <random>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/sync_client.hpp"
#include "domain/id_number.hpp"

namespace idclaim::crash {

namespace bh = boost::beast::http;

namespace {

const std::string boundary = "idclaim-crash-boundary-5Gk2Qz";
const std::string password = "Passw0rd-x1";

/// Accounts that send assist requests: few, so each passes the daily five;
/// one more joins per 40 refusals, so fresh ones keep reaching it.
constexpr std::size_t assist_accounts = 6;

nlohmann::json registration(const std::string& username,
                            const std::string& id_number, bool ack) {
  nlohmann::json body{{"username", username},   {"password", password},
                      {"name", "王小明"},       {"id_type", "resident"},
                      {"id_number", id_number}, {"mobile", "13912345678"}};
  if (ack)
    body["acknowledge_duplicate"] = true;
  return body;
}

std::string photos_body(const std::string& photo) {
  std::string body;
  for (const char* side : {"front", "back"}) {
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\""
            + side + "\"; filename=\"" + side
            + ".jpg\"\r\nContent-Type: image/jpeg\r\n\r\n" + photo + "\r\n";
  }
  return body + "--" + boundary + "--\r\n";
}

/// One client's session with the server: the steps of the load.
class steps {
public:
  steps(const load_options& opt, ledger& book)
    : opt_(opt), book_(book),
      c_("127.0.0.1", opt.port, std::chrono::seconds{5}) {}

  void register_account(const std::string& username, const std::string& id,
                        bool ack) {
    auto r = c_.json(bh::verb::post, "/api/v1/accounts",
                     registration(username, id, ack));
    if (r.status == 201)
      book_.account_created(username, r.body["account"].value("status", ""));
  }

  std::string login(const std::string& username, const std::string& pw) {
    auto r = c_.json(bh::verb::post, "/api/v1/sessions",
                     {{"username", username}, {"password", pw}});
    return r.status == 200 ? r.body.value("token", "") : std::string{};
  }

  void submit_review(const std::string& username) {
    auto token = login(username, password);
    if (token.empty())
      return;
    bench::request_spec spec;
    spec.method = bh::verb::post;
    spec.target = "/api/v1/reviews";
    spec.body = photos_body(opt_.photo);
    spec.token = token;
    spec.content_type = "multipart/form-data; boundary=" + boundary;
    auto raw = c_.call(spec);
    if (raw.result_int() != 201)
      return;
    auto body = nlohmann::json::parse(raw.body(), nullptr, false);
    if (!body.is_discarded())
      book_.review_submitted(body["review"].value("id", int64_t{0}), username);
  }

  void approve_one() {
    auto token = login(opt_.reviewer, opt_.reviewer_password);
    if (token.empty())
      return;
    auto queue = c_.json(bh::verb::get, "/api/v1/admin/reviews?state=open",
                         nullptr, token);
    if (queue.status != 200 || queue.body["items"].empty())
      return;
    auto id = queue.body["items"][0].value("id", int64_t{0});
    auto r = c_.json(bh::verb::post,
                     "/api/v1/admin/reviews/" + std::to_string(id) + "/approve",
                     nlohmann::json::object(), token);
    if (r.status == 200)
      book_.review_approved(id);
  }

  void ask_assist(const std::string& username) {
    auto token = login(username, password);
    if (token.empty())
      return;
    auto r = c_.json(bh::verb::post, "/api/v1/assist-requests",
                     {{"classmate_name", "李小红"},
                      {"classmate_mobile", "13800000000"},
                      {"own_mobile", "13912345678"}},
                     token);
    if (r.status == 429)
      book_.assist_refused(username);
    else if (r.status == 201 || r.error_code() == "ASSIST_NO_MATCH")
      book_.assist_attempt_counted(username);
  }

private:
  const load_options& opt_;
  ledger& book_;
  bench::sync_client c_;
};

} // namespace

std::string crash_id_number(const std::string& region, uint64_t n) {
  char body[18];
  std::snprintf(body, sizeof body, "%s1990%02u%02u%03u", region.c_str(),
                static_cast<unsigned>(1 + (n / 28000) % 12),
                static_cast<unsigned>(1 + (n / 1000) % 28),
                static_cast<unsigned>(n % 1000));
  return std::string{body} + *domain::gb11643_check_character(body);
}

load::load(load_options options, ledger& book)
  : opt_(std::move(options)), book_(book) {}

uint64_t load::run_until(const std::atomic<bool>& stop, uint64_t seed) {
  answered_ = 0;
  std::vector<std::thread> clients;
  for (std::size_t i = 0; i < opt_.threads; ++i)
    clients.emplace_back(
      [this, &stop, seed, i] { client_loop(stop, seed + i); });
  for (auto& t : clients)
    t.join();
  return answered_;
}

void load::client_loop(const std::atomic<bool>& stop, uint64_t seed) {
  std::mt19937_64 rng{seed};
  std::uniform_int_distribution<int> pick{0, 99};
  std::unique_ptr<steps> s;
  while (!stop) {
    try {
      if (!s)
        s = std::make_unique<steps>(opt_, book_);
      int p = pick(rng);
      if (p < 30) {
        auto n = next_unique_++;
        s->register_account("u" + std::to_string(100000 + n),
                            crash_id_number("110105", n), false);
      } else if (p < 55) {
        // Three registrations per ID, taken by whichever clients come next,
        // so they race each other for the same claim.
        auto n = next_contested_++;
        s->register_account("k" + std::to_string(100000 + n),
                            crash_id_number("110106", n / 3), true);
      } else if (p < 70) {
        if (auto u = book_.pick_restricted(rng()))
          s->submit_review(*u);
      } else if (p < 80) {
        s->approve_one();
      } else if (book_.assist_pool_size()
                 < assist_accounts + book_.assist_refusals() / 40) {
        // A holder and a claimant on a fresh ID: the claimant only ever
        // sends assist requests.
        auto n = next_assist_++;
        auto id = crash_id_number("110107", n);
        s->register_account("h" + std::to_string(100000 + n), id, false);
        s->register_account("a" + std::to_string(100000 + n), id, true);
      } else if (auto u = book_.pick_assist(rng())) {
        s->ask_assist(*u);
      }
      ++answered_;
    } catch (const std::exception&) {
      // Cut off (the server is being killed): the outcome is unknown, so
      // nothing is recorded; a new connection is made for the next step.
      s.reset();
    }
  }
}

} // namespace idclaim::crash
