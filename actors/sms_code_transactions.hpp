#pragma once

// Storage transactions of SMS verification codes (实名绑定, 找回用户名): the
// send limits, single use, expiry and the wrong-try budget. They run on the
// db actor's thread inside one transaction each.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actors/txn_env.hpp"
#include "crypto/blind_index.hpp"
#include "storage/connection.hpp"

namespace idclaim::actors {

/// The rules of issue 6 for SMS codes.
struct sms_code_rules {
  int64_t ttl_ms = 5 * 60 * 1000; ///< a code expires after 5 minutes
  int64_t min_gap_ms = 60 * 1000; ///< at most one send per mobile a minute
  int64_t per_day = 10;           ///< at most 10 sends per mobile a day
  int64_t max_tries = 5;          ///< wrong tries that kill a code
};

/// The SMS-code purposes stored in sms_codes.purpose.
inline constexpr std::string_view bind_purpose = "bind";
inline constexpr std::string_view recover_purpose = "recover";

/// The keyed digest stored instead of a code: a blind index of
/// "purpose:code", so a leaked table does not give the codes away.
std::string sms_code_digest(const crypto::blind_index& index,
                            std::string_view purpose, std::string_view code);

/// The digests of a code under every index key (a code sent before an
/// index-key rotation was stored under the old key).
crypto::index_values sms_code_digests(const crypto::blind_index& index,
                                      std::string_view purpose,
                                      std::string_view code);

/// A send refused by the limits, with the seconds until one is allowed.
struct send_refusal {
  int64_t retry_after_s = 0;
};

/// Stores `row` (created at `now_ms`, expiring after the rules' TTL) unless
/// its mobile had a code within the last minute or `per_day` codes this
/// Asia/Shanghai day; then says when to try again instead. `other_index`
/// is the mobile's value under the other index key during a rotation
/// (empty otherwise), so codes sent before it count too.
std::optional<send_refusal>
store_code(storage::connection& conn, storage::sms_code_row row, int64_t now_ms,
           const sms_code_rules& rules, const std::string& other_index = {});

/// Checks `digest` against the newest live code of `purpose` for the mobile
/// (and account, when given). A wrong digest costs a try; a code that has
/// used up its tries or expired never matches; a right one is used up.
/// True only when the code was right and is now used. The mobile and the
/// digest are given under every index key (see crypto::index_values).
bool redeem_code(storage::connection& conn, std::string_view purpose,
                 const crypto::index_values& mobile,
                 std::optional<account_id> account,
                 const crypto::index_values& digest, int64_t now_ms,
                 const sms_code_rules& rules);

/// What 找回用户名 is asked: the claim key of the ID, the name as parsed,
/// and the code (step 1: the code to send; step 2: the code typed) with
/// its digest.
struct recovery_request {
  std::string claim_key;
  std::string other_claim_key; ///< under the other index key, or empty
  std::string name;
  std::string code;
  crypto::index_values digest;
};

/// Step 1: for every bound mobile of a live account on the ID whose name
/// matches, stores the code and queues its SMS in `out` (a mobile over its
/// send limit is skipped silently: the answer must not tell). Returns how
/// many mobiles were sent to (for the log only).
std::size_t run_recovery_code(storage::connection& conn,
                              const recovery_request& req, const txn_env& env,
                              const sms_code_rules& rules, txn_effects& out);

/// Step 2: the usernames (unmasked, oldest account first) of the matching
/// accounts whose mobile's code is `req.digest`; empty when none.
std::vector<std::string> run_recovery_check(storage::connection& conn,
                                            const recovery_request& req,
                                            const txn_env& env,
                                            const sms_code_rules& rules);

} // namespace idclaim::actors
