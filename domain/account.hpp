#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace idclaim {

/// An account's primary key.
using account_id = int64_t;

/// SPEC §2: the life of an account. `cancelled` is final.
enum class account_status : uint8_t { active, restricted, cancelled };

/// The API spelling: "active", "restricted", "cancelled".
std::string_view to_string(account_status s);

/// Parses the API spelling.
std::optional<account_status> parse_account_status(std::string_view s);

/// What a claim looks like to a registration (SPEC §11): its holder, its
/// claimants and whether a review case is open ("case 1").
struct claim_state {
  std::optional<account_id> holder;
  int claimants = 0;
  int open_reviews = 0;

  bool under_review() const { return open_reviews > 0; }
  bool held() const { return holder.has_value(); }
};

/// The three outcomes of SPEC §4 (plus the refusal when the ID is held and
/// the student did not acknowledge the duplicate).
enum class registration_decision : uint8_t {
  become_holder,     ///< ID free: the new account is `active`
  become_claimant,   ///< ID held, duplicate acknowledged: `restricted`
  refuse_held,       ///< ID held, not acknowledged: ID_ALREADY_REGISTERED
  refuse_under_review///< case 1: ID_UNDER_REVIEW
};

/// The one rule for registrations, used by the claim actor's fast path and
/// re-checked inside the storage transaction.
registration_decision decide_registration(const claim_state& claim,
                                          bool acknowledge_duplicate);

} // namespace idclaim
