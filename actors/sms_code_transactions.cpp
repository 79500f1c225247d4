#include "actors/sms_code_transactions.hpp"

#include <algorithm>
#include <chrono>
#include <map>

#include "domain/notices.hpp"
#include "domain/shanghai_time.hpp"

namespace idclaim::actors {

namespace {

using std::chrono::milliseconds;
using std::chrono::system_clock;

constexpr std::string_view code_domain = "sms.code";

int64_t ceil_seconds(int64_t ms) {
  return std::max<int64_t>(1, (ms + 999) / 1000);
}

/// When the Asia/Shanghai day containing `now_ms` began (no DST there).
int64_t day_start_ms(int64_t now_ms) {
  system_clock::time_point now{milliseconds{now_ms}};
  auto next = domain::next_shanghai_midnight(now);
  return std::chrono::duration_cast<milliseconds>(
           (next - std::chrono::hours{24}).time_since_epoch())
    .count();
}

/// The live accounts on the ID whose name matches and whose mobile is
/// bound, grouped by mobile index (one SMS per mobile).
std::map<std::string, std::vector<storage::account_row>>
recovery_matches(storage::connection& conn, const recovery_request& req,
                 const txn_env& env) {
  std::map<std::string, std::vector<storage::account_row>> out;
  auto claim = conn.claims().find(req.claim_key);
  if (!claim)
    return out;
  for (auto& a : conn.accounts().on_claim(*claim)) {
    if (a.status == account_status::cancelled || !a.mobile_bound)
      continue;
    auto name = env.cipher->open(a.name_cipher, "account.name");
    if (name && *name == req.name)
      out[a.mobile_index].push_back(std::move(a));
  }
  return out;
}

} // namespace

std::string sms_code_digest(const crypto::blind_index& index,
                            std::string_view purpose, std::string_view code) {
  std::string value{purpose};
  value += ':';
  value += code;
  return index.compute(code_domain, value);
}

std::optional<send_refusal> store_code(storage::connection& conn,
                                       storage::sms_code_row row,
                                       int64_t now_ms,
                                       const sms_code_rules& rules) {
  auto codes = conn.sms_codes();
  // The repository counts sends but does not date the newest, so the
  // answer names the whole gap: a client waiting that long always succeeds.
  if (codes.sent_since(row.mobile_index, now_ms - rules.min_gap_ms) > 0)
    return send_refusal{ceil_seconds(rules.min_gap_ms)};
  auto day = day_start_ms(now_ms);
  if (codes.sent_since(row.mobile_index, day - 1) >= rules.per_day)
    return send_refusal{ceil_seconds(day + 24LL * 3600 * 1000 - now_ms)};
  row.created_ms = now_ms;
  row.expires_ms = now_ms + rules.ttl_ms;
  codes.insert(row);
  return std::nullopt;
}

bool redeem_code(storage::connection& conn, std::string_view purpose,
                 const std::string& mobile_index,
                 std::optional<account_id> account, const std::string& digest,
                 int64_t now_ms, const sms_code_rules& rules) {
  auto codes = conn.sms_codes();
  auto live = codes.live(purpose, mobile_index, account, now_ms);
  if (!live || live->tries >= rules.max_tries)
    return false;
  if (live->code_digest != digest) {
    codes.add_try(live->id);
    return false;
  }
  return codes.use(live->id, now_ms);
}

std::size_t run_recovery_code(storage::connection& conn,
                              const recovery_request& req, const txn_env& env,
                              const sms_code_rules& rules, txn_effects& out) {
  std::size_t sent = 0;
  for (auto& [index, accounts] : recovery_matches(conn, req, env)) {
    auto& first = accounts.front();
    storage::sms_code_row row;
    row.purpose = std::string{recover_purpose};
    row.mobile_index = index;
    row.account = first.id;
    row.code_digest = req.digest;
    if (store_code(conn, row, env.now_ms, rules))
      continue;
    auto mobile = env.cipher->open(first.mobile_cipher, "account.mobile");
    if (!mobile)
      continue;
    out.sms.push_back(
      sms_message{*mobile, domain::sms_code_text(req.code, recover_purpose),
                  req.code, env.now_ms});
    ++sent;
  }
  return sent;
}

std::vector<std::string> run_recovery_check(storage::connection& conn,
                                            const recovery_request& req,
                                            const txn_env& env,
                                            const sms_code_rules& rules) {
  std::vector<storage::account_row> found;
  for (auto& [index, accounts] : recovery_matches(conn, req, env))
    if (redeem_code(conn, recover_purpose, index, std::nullopt, req.digest,
                    env.now_ms, rules))
      found.insert(found.end(), accounts.begin(), accounts.end());
  std::sort(found.begin(), found.end(),
            [](auto& x, auto& y) { return x.id < y.id; });
  std::vector<std::string> out;
  for (auto& a : found)
    out.push_back(a.username);
  return out;
}

} // namespace idclaim::actors
