#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "storage/sql_driver.hpp"

namespace idclaim::storage {

/// A student record (学籍) as stored: the ID number sealed and indexed like
/// every ID (the index equals the claim key), the name sealed with a blind
/// index so that a re-import can tell "unchanged" without decrypting.
struct record_row {
  int64_t id = 0;
  std::string id_index;
  std::string id_cipher;
  std::string name_cipher;
  std::string name_index;
  std::string school;
  std::string class_name;
  int64_t enrolment_year = 0;
  /// Not stored: during a blind-index key rotation, the values of the ID
  /// and the name under the other index key, so an upsert finds and
  /// compares a row not yet recomputed (empty otherwise).
  std::string id_index_other;
  std::string name_index_other;
};

/// What an upsert did.
enum class upsert_outcome : uint8_t { inserted, updated, unchanged };

/// Student records.
class records_repo {
public:
  explicit records_repo(sql_driver& db) : db_(db) {
  }

  /// Inserts the record or updates the one with the same ID; leaves it alone
  /// (no write at all) when nothing differs, so re-importing changes nothing.
  upsert_outcome upsert(const record_row& row, int64_t now_ms);

  /// The record of an ID (by its claim key).
  std::optional<record_row> by_id_index(const std::string& id_index);

  /// The record of an ID under either of its index values (`other`: the
  /// value under the other index key during a rotation, or empty).
  std::optional<record_row> by_id_index(const std::string& current,
                                        const std::string& other);

  int64_t count();

private:
  sql_driver& db_;
};

} // namespace idclaim::storage
