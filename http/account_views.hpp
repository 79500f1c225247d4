#pragma once

// JSON shapes of the account pages (API.md "Sessions and account pages").

#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "crypto/field_cipher.hpp"
#include "storage/accounts_repo.hpp"
#include "storage/login_log_repo.hpp"

namespace idclaim::http {

/// `{id, username, status}`: what login and the username page answer.
nlohmann::json account_summary(const storage::account_row& a);

/// Splits a sealed claim text "type:number" (opened) into its parts.
std::pair<std::string, std::string> split_claim_text(const std::string& t);

/// 查看个人信息: `{username, name, id_type, id_number, mobile, mobile_bound,
/// email}` in full, for the owner only. `id_cipher` is the claim's sealed
/// "type:number"; email is null when none was given.
nlohmann::json personal_info_json(const crypto::field_cipher& cipher,
                                  const storage::account_row& a,
                                  const std::optional<std::string>& id_cipher);

/// One line of 登录日志: `{time, ip, client, success}`.
nlohmann::json login_item_json(const storage::login_row& row);

} // namespace idclaim::http
