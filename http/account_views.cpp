#include "http/account_views.hpp"

#include "domain/shanghai_time.hpp"

namespace idclaim::http {

nlohmann::json account_summary(const storage::account_row& a) {
  return {
    {"id", a.id}, {"username", a.username}, {"status", to_string(a.status)}};
}

std::pair<std::string, std::string> split_claim_text(const std::string& t) {
  auto colon = t.find(':');
  if (colon == std::string::npos)
    return {"resident", t};
  return {t.substr(0, colon), t.substr(colon + 1)};
}

nlohmann::json personal_info_json(const crypto::field_cipher& cipher,
                                  const storage::account_row& a,
                                  const std::optional<std::string>& id_cipher) {
  auto open = [&cipher](const std::string& sealed, std::string_view what) {
    return sealed.empty() ? std::string{}
                          : cipher.open(sealed, what).value_or("");
  };
  auto id = split_claim_text(id_cipher ? open(*id_cipher, "claim.id_number")
                                       : std::string{});
  auto email = open(a.email_cipher, "account.email");
  return {{"username", a.username},
          {"name", open(a.name_cipher, "account.name")},
          {"id_type", id.first},
          {"id_number", id.second},
          {"mobile", open(a.mobile_cipher, "account.mobile")},
          {"mobile_bound", a.mobile_bound},
          {"email", email.empty() ? nlohmann::json() : nlohmann::json(email)}};
}

nlohmann::json login_item_json(const storage::login_row& row) {
  return {{"time", domain::format_rfc3339_ms(row.at_ms)},
          {"ip", row.ip},
          {"client", row.client},
          {"success", row.success}};
}

} // namespace idclaim::http
