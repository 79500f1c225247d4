#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/account.hpp"
#include "storage/sql_driver.hpp"

namespace idclaim::storage {

/// A claim's primary key. Other tables refer to claims by it, so that
/// re-keying the blind index (key rotation) rewrites one column only.
using claim_id = int64_t;

/// One entry of a claim's history (who did what, when). `detail` holds no
/// personal data.
struct claim_event {
  int64_t id = 0;
  claim_id claim = 0;
  int64_t at_ms = 0;
  std::string kind;
  std::optional<account_id> account;
  std::optional<int64_t> staff;
  std::string detail;
};

/// Claims: one row per blind-index key of a normalised ID number.
class claims_repo {
public:
  explicit claims_repo(sql_driver& db) : db_(db) {
  }

  /// Creates the claim row if missing, and in every case locks it until the
  /// transaction ends (PostgreSQL row lock; SQLite's single writer already
  /// holds the file lock). Every transaction that decides something about a
  /// claim starts here, which serialises them across processes.
  claim_id ensure_locked(const std::string& claim_key,
                         const std::string& id_cipher, int64_t now_ms);

  /// Locks an existing claim row (see ensure_locked).
  void lock(claim_id id);

  /// The claim of a blind-index key, if any account ever used it.
  std::optional<claim_id> find(const std::string& claim_key);

  /// The claim stored under `current` or, during a blind-index key
  /// rotation, under `other` (the same ID's value under the other index
  /// key; empty: none), with the key it is stored under. A row under
  /// `current` wins should both exist.
  std::optional<std::pair<claim_id, std::string>>
  find_either(const std::string& current, const std::string& other);

  /// In a database shared by several processes, takes a transaction-scoped
  /// lock named by `name` (PostgreSQL advisory lock on its first 8 bytes);
  /// SQLite's single writer already serialises every transaction. Used to
  /// serialise the creation of a claim whose key differs between servers
  /// during an index-key rotation.
  void lock_name(const std::string& name);

  /// The blind-index key of a claim.
  std::string key_of(claim_id id);

  /// The holder, the number of claimants and of open review cases.
  claim_state state(claim_id id);

  /// The sealed "type:number" of the claim.
  std::optional<std::string> id_cipher(claim_id id);

  /// Appends to the claim's history.
  void append_event(const claim_event& e);

  /// The claim's history, oldest first.
  std::vector<claim_event> events(claim_id id);

private:
  sql_driver& db_;
};

} // namespace idclaim::storage
