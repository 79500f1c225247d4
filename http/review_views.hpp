#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "storage/connection.hpp"

namespace idclaim::http {

/// What the warning of SPEC §5 depends on: the current holder's
/// military-service and graduate-admission registrations.
struct holder_flags {
  bool military = false;
  bool grad_exam = false;
};

/// The flags of the holder of `claim`, unless the holder is `except` (a
/// claimant asking about their own claim is never its holder).
holder_flags holder_flags_of(storage::connection& conn, storage::claim_id claim,
                             account_id except);

/// `{holder_has_military, holder_has_grad_exam, message}`.
nlohmann::json warning_json(const holder_flags& f);

/// A case's state as its claimant sees it: a case voided because the
/// claim was resolved by another path reads "withdrawn" (API.md).
std::string_view claimant_state(storage::review_state s);

} // namespace idclaim::http
