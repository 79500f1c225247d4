#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "domain/account.hpp"

namespace idclaim::storage {

/// An account as stored. Personal fields are sealed (crypto::field_cipher);
/// `*_index` fields are blind indexes.
struct account_row {
  account_id id = 0;
  std::string username;     ///< as the student typed it
  std::string username_key; ///< NFKC + case fold: the uniqueness key
  std::string password_hash;
  std::string name_cipher;
  std::string claim_key;    ///< blind index of the ID number
  std::string mobile_cipher;
  std::string mobile_index;
  std::string email_cipher; ///< empty when none was given
  bool mobile_bound = false;
  account_status status = account_status::restricted;
  std::string cancel_reason;
  bool military_registered = false;
  bool grad_exam_registered = false;
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
};

/// What a registration asks storage to insert.
struct new_account {
  std::string username;
  std::string username_key;
  std::string password_hash;
  std::string name_cipher;
  std::string claim_key;
  std::string id_cipher; ///< sealed ID number, kept on the claim row
  std::string mobile_cipher;
  std::string mobile_index;
  std::string email_cipher;
  account_status status = account_status::restricted;
  int64_t now_ms = 0;
};

/// The outcome of inserting an account when a constraint refuses it.
enum class insert_refusal : uint8_t {
  username_taken, ///< I2: the username key exists
  active_exists   ///< I1: the claim already has an active account
};

/// Who a session token belongs to.
enum class subject_kind : uint8_t { account, staff };

/// A login session; the token itself is never stored, only its digest.
struct session_row {
  std::string token_digest;
  subject_kind kind = subject_kind::account;
  int64_t subject_id = 0;
  int64_t created_ms = 0;
  int64_t expires_ms = 0;
};

/// Staff roles (SPEC §1).
enum class staff_role : uint8_t { reviewer, operator_ };

/// A reviewer or operator account, made from the command line.
struct staff_row {
  int64_t id = 0;
  std::string username;
  std::string username_key;
  std::string password_hash;
  staff_role role = staff_role::reviewer;
};

/// One login attempt, for 登录日志查询.
struct login_row {
  std::optional<account_id> account;
  int64_t at_ms = 0;
  std::string ip;
  std::string client;
  bool success = false;
};

} // namespace idclaim::storage
