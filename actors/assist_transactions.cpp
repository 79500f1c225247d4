#include "actors/assist_transactions.hpp"

#include <algorithm>

#include "actors/claim_transactions.hpp"
#include "domain/assist_rules.hpp"
#include "domain/clock.hpp"
#include "domain/shanghai_time.hpp"

namespace idclaim::actors {

namespace {

bool same_class(const storage::record_row& a, const storage::record_row& b) {
  return a.school == b.school && a.class_name == b.class_name
         && a.enrolment_year == b.enrolment_year;
}

/// The student record of an account's ID. During an index-key rotation the
/// claim's stored key and the record's index may be under different keys,
/// so both values are recomputed from the claim's sealed ID number.
std::optional<storage::record_row> record_of(storage::connection& conn,
                                             const storage::account_row& a,
                                             const txn_env& env) {
  if (env.index && env.index->rotating())
    if (auto sealed = conn.claims().id_cipher(a.claim))
      if (auto id = env.cipher->open(*sealed, "claim.id_number")) {
        auto values = env.index->compute_all(crypto::id_index_domain, *id);
        std::fill(id->begin(), id->end(), '\0');
        return conn.records().by_id_index(values.current, values.other);
      }
  return conn.records().by_id_index(a.claim_key);
}

/// The classmate the attempt names, if every rule holds. Every candidate
/// costs the same decryption and both record lookups always run, so a
/// miss takes about as long as a match.
std::optional<storage::account_row>
find_classmate(storage::connection& conn, const storage::account_row& requester,
               const assist_attempt& attempt, const txn_env& env) {
  auto mine = record_of(conn, requester, env);
  auto candidates = conn.accounts().by_mobile(
    attempt.classmate_mobile_index, attempt.classmate_mobile_index_other);
  if (candidates.empty())
    candidates.push_back(requester); // decoy: same work, never matches
  std::optional<storage::account_row> found;
  for (auto& c : candidates) {
    auto name = env.cipher->open(c.name_cipher, "account.name");
    auto theirs = record_of(conn, c, env);
    // Never the other side of one's own claim: the same ID is not a
    // classmate.
    bool ok = c.claim != requester.claim && c.status == account_status::active
              && c.mobile_bound && name && *name == attempt.classmate_name
              && mine && theirs && same_class(*mine, *theirs);
    if (ok && !found)
      found = c;
  }
  return found;
}

} // namespace

problem not_restricted_for_assist() {
  auto p = make_problem(errc::not_restricted);
  p.status = 403; // API.md: 403 here, 409 for reviews
  return p;
}

assist_outcome run_assist_attempt(storage::connection& conn,
                                  const assist_attempt& attempt,
                                  const txn_env& env) {
  assist_outcome out;
  auto requester = conn.accounts().find(attempt.requester);
  if (!requester || requester->status != account_status::restricted) {
    out.result = not_restricted_for_assist();
    return out;
  }
  // Lock the claim first: a resolution racing this attempt either sees the
  // new request (and voids it) or runs after it is refused.
  conn.claims().lock(requester->claim);
  auto day = domain::to_string(domain::shanghai_date(from_ms(env.now_ms)));
  auto used = conn.assist_quota().take(requester->id, day,
                                       domain::assist_daily_limit);
  if (!used) {
    out.result = make_problem(errc::assist_daily_limit);
    return out;
  }
  auto remaining = domain::assist_daily_limit - *used;
  auto classmate = find_classmate(conn, *requester, attempt, env);
  if (!classmate) {
    out.result = make_problem(errc::assist_no_match);
    return out;
  }
  auto expires = env.now_ms + env.assist_ttl_ms;
  auto id = conn.assists().insert(requester->claim, requester->id,
                                  classmate->id, attempt.own_mobile_cipher,
                                  env.now_ms, expires);
  conn.inbox().add(classmate->id, storage::inbox_kind::assist_request, id,
                   std::nullopt, "", env.now_ms);
  conn.inbox_changed(classmate->id);
  conn.claims().append_event({0, requester->claim, env.now_ms,
                              "assist_requested", requester->id, std::nullopt,
                              "request " + std::to_string(id)});
  tell_holder(conn, conn.claims().state(requester->claim), env, out.effects);
  out.result = assist_sent{id, env.now_ms, expires, remaining};
  return out;
}

std::variant<bool, problem> decline_assist(storage::connection& conn,
                                           int64_t request,
                                           account_id classmate,
                                           int64_t now_ms) {
  auto found = conn.assists().find(request);
  if (!found || found->classmate != classmate)
    return make_problem(errc::not_found);
  if (!conn.assists().close(request, storage::assist_state::declined, now_ms))
    return make_problem(errc::request_closed);
  if (auto item = conn.inbox().for_request(classmate, request))
    conn.inbox().mark_read(item->id, now_ms);
  conn.inbox().add(found->requester, storage::inbox_kind::assist_declined,
                   request, std::nullopt, "", now_ms);
  conn.account_changed(found->requester);
  conn.account_changed(classmate);
  conn.claims().append_event({0, found->claim, now_ms, "assist_declined",
                              classmate, std::nullopt,
                              "request " + std::to_string(request)});
  return true;
}

} // namespace idclaim::actors
