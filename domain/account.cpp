#include "domain/account.hpp"

namespace idclaim {

std::string_view to_string(account_status s) {
  switch (s) {
    case account_status::active:
      return "active";
    case account_status::restricted:
      return "restricted";
    case account_status::cancelled:
      return "cancelled";
  }
  return "cancelled";
}

std::optional<account_status> parse_account_status(std::string_view s) {
  for (auto x : {account_status::active, account_status::restricted,
                 account_status::cancelled})
    if (to_string(x) == s)
      return x;
  return std::nullopt;
}

registration_decision decide_registration(const claim_state& claim,
                                          bool acknowledge_duplicate) {
  // Case 1 wins over case 2: while a review is open nobody may join.
  if (claim.under_review())
    return registration_decision::refuse_under_review;
  if (!claim.held())
    return registration_decision::become_holder;
  return acknowledge_duplicate ? registration_decision::become_claimant
                               : registration_decision::refuse_held;
}

} // namespace idclaim
