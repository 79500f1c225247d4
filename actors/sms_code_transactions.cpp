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

/// The accounts of one bound mobile, with the mobile's index values.
struct mobile_group {
  crypto::index_values mobile;
  std::vector<storage::account_row> accounts;
};

/// The values of an account's mobile index: the stored one, or during an
/// index-key rotation both, recomputed from the sealed mobile (the stored
/// one may be under either key, and the codes sent to it too).
crypto::index_values mobile_values(const storage::account_row& a,
                                   const txn_env& env) {
  if (env.index && env.index->rotating())
    if (auto mobile = env.cipher->open(a.mobile_cipher, "account.mobile")) {
      auto values
        = env.index->compute_all(crypto::mobile_index_domain, *mobile);
      std::fill(mobile->begin(), mobile->end(), '\0');
      return values;
    }
  return crypto::index_values{a.mobile_index, {}};
}

/// The live accounts on the ID whose name matches and whose mobile is
/// bound, grouped by mobile (one SMS per mobile), keyed by its index.
std::map<std::string, mobile_group>
recovery_matches(storage::connection& conn, const recovery_request& req,
                 const txn_env& env) {
  std::map<std::string, mobile_group> out;
  auto claim = conn.claims().find_either(req.claim_key, req.other_claim_key);
  if (!claim)
    return out;
  for (auto& a : conn.accounts().on_claim(claim->first)) {
    if (a.status == account_status::cancelled || !a.mobile_bound)
      continue;
    auto name = env.cipher->open(a.name_cipher, "account.name");
    if (!name || *name != req.name)
      continue;
    auto values = mobile_values(a, env);
    auto& group = out[values.current];
    group.mobile = std::move(values);
    group.accounts.push_back(std::move(a));
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

crypto::index_values sms_code_digests(const crypto::blind_index& index,
                                      std::string_view purpose,
                                      std::string_view code) {
  std::string value{purpose};
  value += ':';
  value += code;
  return index.compute_all(code_domain, value);
}

std::optional<send_refusal>
store_code(storage::connection& conn, storage::sms_code_row row, int64_t now_ms,
           const sms_code_rules& rules, const std::string& other_index) {
  auto codes = conn.sms_codes();
  // The repository counts sends but does not date the newest, so the
  // answer names the whole gap: a client waiting that long always succeeds.
  if (codes.sent_since(row.mobile_index, other_index, now_ms - rules.min_gap_ms)
      > 0)
    return send_refusal{ceil_seconds(rules.min_gap_ms)};
  auto day = day_start_ms(now_ms);
  if (codes.sent_since(row.mobile_index, other_index, day - 1) >= rules.per_day)
    return send_refusal{ceil_seconds(day + 24LL * 3600 * 1000 - now_ms)};
  row.created_ms = now_ms;
  row.expires_ms = now_ms + rules.ttl_ms;
  codes.insert(row);
  return std::nullopt;
}

bool redeem_code(storage::connection& conn, std::string_view purpose,
                 const crypto::index_values& mobile,
                 std::optional<account_id> account,
                 const crypto::index_values& digest, int64_t now_ms,
                 const sms_code_rules& rules) {
  auto codes = conn.sms_codes();
  auto live
    = codes.live(purpose, mobile.current, mobile.other, account, now_ms);
  if (!live || live->tries >= rules.max_tries)
    return false;
  if (!digest.matches(live->code_digest)) {
    codes.add_try(live->id);
    return false;
  }
  return codes.use(live->id, now_ms);
}

std::size_t run_recovery_code(storage::connection& conn,
                              const recovery_request& req, const txn_env& env,
                              const sms_code_rules& rules, txn_effects& out) {
  std::size_t sent = 0;
  for (auto& [index, group] : recovery_matches(conn, req, env)) {
    auto& first = group.accounts.front();
    storage::sms_code_row row;
    row.purpose = std::string{recover_purpose};
    row.mobile_index = index;
    row.account = first.id;
    row.code_digest = req.digest.current;
    if (store_code(conn, row, env.now_ms, rules, group.mobile.other))
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
  for (auto& [index, group] : recovery_matches(conn, req, env))
    if (redeem_code(conn, recover_purpose, group.mobile, std::nullopt,
                    req.digest, env.now_ms, rules))
      found.insert(found.end(), group.accounts.begin(), group.accounts.end());
  std::sort(found.begin(), found.end(),
            [](auto& x, auto& y) { return x.id < y.id; });
  std::vector<std::string> out;
  for (auto& a : found)
    out.push_back(a.username);
  return out;
}

} // namespace idclaim::actors
