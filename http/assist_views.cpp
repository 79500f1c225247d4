#include "http/assist_views.hpp"

#include "domain/masking.hpp"
#include "domain/notices.hpp"
#include "domain/shanghai_time.hpp"

namespace idclaim::http {

namespace {

using storage::inbox_kind;

std::string notice_text(const storage::inbox_row& item) {
  switch (item.kind) {
    case inbox_kind::assist_request:
      return std::string{domain::inbox_assist_request};
    case inbox_kind::assist_declined:
      return std::string{domain::inbox_assist_declined};
    case inbox_kind::assist_ended:
      return std::string{domain::inbox_assist_ended};
    case inbox_kind::review_approved:
      return std::string{domain::inbox_review_approved};
    case inbox_kind::review_rejected:
      return std::string{domain::inbox_review_rejected} + item.detail;
    case inbox_kind::claim_resolved:
      return std::string{domain::inbox_claim_resolved};
    case inbox_kind::account_cancelled:
      return item.detail;
    case inbox_kind::claim_contested:
      return std::string{domain::inbox_claim_contested};
  }
  return {};
}

nlohmann::json time_or_null(std::optional<int64_t> ms) {
  if (!ms)
    return nullptr;
  return domain::format_rfc3339_ms(*ms);
}

} // namespace

storage::assist_state effective_state(const storage::assist_row& r,
                                      int64_t now_ms) {
  if (r.state == storage::assist_state::pending && r.expires_ms <= now_ms)
    return storage::assist_state::expired;
  return r.state;
}

std::string_view result_text(storage::assist_state state) {
  switch (state) {
    case storage::assist_state::pending:
      return domain::assist_result_pending;
    case storage::assist_state::approved:
      return domain::assist_approved_text;
    case storage::assist_state::declined:
      return domain::assist_result_declined;
    case storage::assist_state::expired:
      return domain::assist_result_expired;
    case storage::assist_state::void_:
      return domain::assist_result_void;
  }
  return domain::assist_result_void;
}

std::vector<inbox_entry> load_entries(storage::connection& conn,
                                      std::vector<storage::inbox_row> items) {
  std::vector<inbox_entry> out;
  for (auto& item : items) {
    inbox_entry e{std::move(item), std::nullopt, {}};
    if (e.item.kind == inbox_kind::assist_request && e.item.assist_request) {
      e.request = conn.assists().find(*e.item.assist_request);
      if (e.request)
        if (auto who = conn.accounts().find(e.request->requester))
          e.requester_name_cipher = who->name_cipher;
    }
    out.push_back(std::move(e));
  }
  return out;
}

nlohmann::json inbox_json(const crypto::field_cipher& cipher,
                          const inbox_entry& e, int64_t now_ms, bool detail) {
  nlohmann::json out{{"id", e.item.id},
                     {"kind", to_string(e.item.kind)},
                     {"created_at", domain::format_rfc3339_ms(e.item.created_ms)},
                     {"read", e.item.read_ms.has_value()},
                     {"text", notice_text(e.item)}};
  if (!e.request)
    return out;
  auto& r = *e.request;
  auto state = effective_state(r, now_ms);
  auto name = cipher.open(e.requester_name_cipher, "account.name").value_or("");
  out["request_id"] = r.id;
  out["requester"] = domain::mask_name(name);
  // The requester typed this number for the classmate to see (SPEC §6).
  out["requester_mobile"]
    = cipher.open(r.requester_mobile_cipher, "assist.mobile").value_or("");
  out["sent_at"] = domain::format_rfc3339_ms(r.sent_ms);
  out["expires_at"] = domain::format_rfc3339_ms(r.expires_ms);
  out["state"] = to_string(state);
  if (detail) {
    out["processed_at"] = state == storage::assist_state::expired
                            ? time_or_null(r.expires_ms)
                            : time_or_null(r.processed_ms);
    out["result"] = result_text(state);
  }
  return out;
}

} // namespace idclaim::http
