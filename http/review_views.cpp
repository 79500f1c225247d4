#include "http/review_views.hpp"

#include "domain/notices.hpp"

namespace idclaim::http {

holder_flags holder_flags_of(storage::connection& conn, storage::claim_id claim,
                             account_id except) {
  holder_flags f;
  auto state = conn.claims().state(claim);
  if (!state.holder || *state.holder == except)
    return f;
  if (auto holder = conn.accounts().find(*state.holder)) {
    f.military = holder->military_registered;
    f.grad_exam = holder->grad_exam_registered;
  }
  return f;
}

nlohmann::json warning_json(const holder_flags& f) {
  bool affected = f.military || f.grad_exam;
  return {{"holder_has_military", f.military},
          {"holder_has_grad_exam", f.grad_exam},
          {"message", affected ? domain::holder_registrations_warning
                               : domain::holder_plain_warning}};
}

std::string_view claimant_state(storage::review_state s) {
  return s == storage::review_state::void_ ? "withdrawn" : to_string(s);
}

} // namespace idclaim::http
