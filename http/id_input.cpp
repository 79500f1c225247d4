#include "http/id_input.hpp"

#include "domain/shanghai_time.hpp"

namespace idclaim::http {

id_input read_id_input(const api_context& ctx, field_reader& fields) {
  id_input out;
  auto type_text = fields.optional_text("id_type").value_or("resident");
  auto raw = fields.text("id_number");
  if (!fields.ok())
    return out;
  auto type = domain::parse_id_type(type_text);
  if (!type) {
    fields.fail(make_problem(errc::id_type_invalid, "id_type"));
    return out;
  }
  auto today = domain::shanghai_date(ctx.time->now());
  auto parsed = domain::parse_id_number(*type, raw, today);
  if (auto bad = std::get_if<domain::id_rejection>(&parsed)) {
    fields.fail(domain::to_problem(*bad));
    return out;
  }
  out.id = std::get<domain::normalized_id>(parsed);
  auto keys
    = ctx.index->compute_all(id_index_domain, domain::claim_text(out.id));
  out.claim_key = std::move(keys.current);
  out.other_claim_key = std::move(keys.other);
  return out;
}

} // namespace idclaim::http
