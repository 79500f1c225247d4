#include "crash/checks.hpp"

#include <map>
#include <memory>
#include <set>

#include "storage/pg_driver.hpp"
#include "storage/sqlite_driver.hpp"

namespace idclaim::crash {

namespace {

using storage::sql_driver;

std::unique_ptr<sql_driver> open_driver(const std::string& database,
                                        const std::string& sqlite_path) {
  if (database.empty())
    return std::make_unique<storage::sqlite_driver>(sqlite_path, "full");
  storage::pg_options options;
  options.url = database;
  return std::make_unique<storage::pg_driver>(std::move(options));
}

/// Appends `what` to a violation list, keeping the first few only.
void note(check_result& r, const std::string& what, int& shown) {
  r.ok = false;
  if (shown++ < 5)
    r.detail += (r.detail.empty() ? "" : "; ") + what;
}

check_result accounts_durable(const ledger& book, sql_driver& db) {
  check_result r{"every 201 registration is stored", true, {}};
  std::set<std::string> stored;
  for (auto& row : db.exec("SELECT username FROM accounts", {}).rows)
    stored.insert(row.text(0));
  int shown = 0;
  auto acked = book.accounts();
  for (auto& a : acked)
    if (!stored.count(a.username))
      note(r, "lost account " + a.username, shown);
  if (r.ok)
    r.detail = std::to_string(acked.size()) + " acknowledged, "
               + std::to_string(stored.size()) + " stored";
  return r;
}

check_result reviews_durable(const ledger& book, sql_driver& db) {
  check_result r{"every 201 review and 200 approval is stored", true, {}};
  std::map<int64_t, std::string> state;
  for (auto& row : db.exec("SELECT id, state FROM review_cases", {}).rows)
    state[row.integer(0)] = row.text(1);
  int shown = 0;
  auto reviews = book.reviews();
  for (auto& [id, user] : reviews)
    if (!state.count(id))
      note(r, "lost review case " + std::to_string(id), shown);
  auto approvals = book.approvals();
  for (auto id : approvals)
    if (state[id] != "approved")
      note(r, "approval of case " + std::to_string(id) + " lost", shown);
  if (r.ok)
    r.detail = std::to_string(reviews.size()) + " submissions, "
               + std::to_string(approvals.size()) + " approvals";
  return r;
}

check_result one_active_per_claim(sql_driver& db) {
  check_result r{"no claim has two active accounts", true, {}};
  auto rows = db.exec("SELECT claim_id, COUNT(*) FROM accounts WHERE status "
                      "= 'active' GROUP BY claim_id HAVING COUNT(*) > 1",
                      {})
                .rows;
  int shown = 0;
  for (auto& row : rows)
    note(r, "claim " + row.text(0) + " has " + row.text(1) + " active", shown);
  auto claims = db.exec("SELECT COUNT(*) FROM claims", {}).rows;
  if (r.ok)
    r.detail = claims.at(0).text(0) + " claims";
  return r;
}

check_result assist_limit(const ledger& book, sql_driver& db) {
  check_result r{"no account has more than 5 assist attempts a day", true, {}};
  std::map<std::string, int64_t> used;
  auto rows = db.exec("SELECT a.username, q.used FROM assist_quota q JOIN "
                      "accounts a ON a.id = q.account_id",
                      {})
                .rows;
  int shown = 0;
  for (auto& row : rows) {
    used[row.text(0)] += row.integer(1);
    if (row.integer(1) > 5)
      note(r, row.text(0) + " used " + row.text(1), shown);
  }
  int at_limit = 0;
  for (auto& [user, n] : book.assist_attempts()) {
    if (n > 5)
      note(r, user + " was answered " + std::to_string(n) + " attempts", shown);
    // Attempts answered must have stayed counted through the crashes.
    if (used[user] < n)
      note(r,
           user + ": " + std::to_string(n) + " answered, "
             + std::to_string(used[user]) + " stored",
           shown);
    at_limit += used[user] == 5;
  }
  if (r.ok)
    r.detail = std::to_string(book.assist_attempts().size())
               + " accounts tried, " + std::to_string(at_limit) + " reached 5, "
               + std::to_string(book.assist_refusals()) + " refusals (429)";
  return r;
}

check_result resolved_once(sql_driver& db) {
  check_result r{"every approval resolved its claim once", true, {}};
  std::map<std::string, int> events;
  for (auto& row : db.exec("SELECT detail FROM claim_events WHERE kind = "
                           "'resolved_by_review'",
                           {})
                     .rows)
    ++events[row.text(0)];
  std::set<std::string> approved;
  for (auto& row : db.exec("SELECT id FROM review_cases WHERE state = "
                           "'approved'",
                           {})
                     .rows)
    approved.insert("case " + row.text(0));
  int shown = 0;
  for (auto& [detail, n] : events)
    if (n != 1 || !approved.count(detail))
      note(r, detail + " resolved " + std::to_string(n) + " times", shown);
  for (auto& a : approved)
    if (!events.count(a))
      note(r, a + " approved without a resolution", shown);
  if (r.ok)
    r.detail = std::to_string(approved.size()) + " resolutions";
  return r;
}

} // namespace

std::vector<check_result> check_invariants(const ledger& book,
                                           const std::string& database,
                                           const std::string& sqlite_path) {
  auto db = open_driver(database, sqlite_path);
  return {accounts_durable(book, *db), reviews_durable(book, *db),
          one_active_per_claim(*db), assist_limit(book, *db),
          resolved_once(*db)};
}

} // namespace idclaim::crash
