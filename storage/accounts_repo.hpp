#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "domain/account.hpp"
#include "storage/claims_repo.hpp"
#include "storage/sql_driver.hpp"

namespace idclaim::storage {

/// An account as stored. Personal fields are sealed (crypto::field_cipher);
/// `*_index` fields are blind indexes.
struct account_row {
  account_id id = 0;
  std::string username;     ///< as the student typed it
  std::string username_key; ///< NFKC + case fold: the uniqueness key
  std::string password_hash;
  std::string name_cipher;
  claim_id claim = 0;
  std::string claim_key;    ///< blind index of the ID number (joined)
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
  claim_id claim = 0;
  std::string mobile_cipher;
  std::string mobile_index;
  std::string email_cipher;
  account_status status = account_status::restricted;
  int64_t now_ms = 0;
};

/// Why an insert was refused by a constraint.
enum class insert_refusal : uint8_t {
  username_taken, ///< I2: the username key exists
  active_exists   ///< I1: the claim already has an active account
};

/// Accounts (帐号).
class accounts_repo {
public:
  explicit accounts_repo(sql_driver& db) : db_(db) {
  }

  /// Inserts an account; a UNIQUE constraint refusing it is an answer, not
  /// an error.
  std::variant<account_id, insert_refusal> insert(const new_account& row);

  std::optional<account_row> find(account_id id);
  std::optional<account_row> find_by_username(const std::string& key);

  /// Every account whose mobile has this blind index.
  std::vector<account_row> by_mobile(const std::string& mobile_index);

  /// Every account whose mobile index is `current` or `other` (the value
  /// under the other index key during a rotation; empty: none).
  std::vector<account_row> by_mobile(const std::string& current,
                                     const std::string& other);

  /// Every account on a claim, oldest first.
  std::vector<account_row> on_claim(claim_id claim);

  /// Cancels every account of `claim` but `winner` that is not cancelled
  /// yet, with `reason`; returns their ids. Runs before activate() so that
  /// I1's index never sees two active accounts.
  std::vector<account_id> cancel_all_but(claim_id claim, account_id winner,
                                         const std::string& reason,
                                         int64_t now_ms);

  /// restricted → active; false when the account was not restricted.
  bool activate(account_id id, int64_t now_ms);

  /// Changes the username; false when the key is taken (I2).
  bool set_username(account_id id, const std::string& username,
                    const std::string& key, int64_t now_ms);

  void set_password_hash(account_id id, const std::string& hash,
                         int64_t now_ms);

  /// Stores a (new) mobile and whether it is bound by an SMS code.
  void set_mobile(account_id id, const std::string& cipher,
                  const std::string& index, bool bound, int64_t now_ms);

  void set_email(account_id id, const std::string& cipher, int64_t now_ms);

  /// Sets the 兵役登记 / 研招报名 flags (other systems own them; demo data
  /// and operators set them).
  void set_registrations(account_id id, bool military, bool grad_exam,
                         int64_t now_ms);

private:
  std::optional<account_row> one(std::string_view where_sql,
                                 std::initializer_list<sql_param> params);
  std::vector<account_row> many(std::string_view sql,
                                std::initializer_list<sql_param> params);

  sql_driver& db_;
};

} // namespace idclaim::storage
