#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "crypto/key_set.hpp"
#include "crypto/key_source.hpp"

namespace idclaim::crypto {

/// Computes blind indexes: keyed hashes that let storage find a row by an
/// encrypted value (ID number, mobile) without being able to reverse it.
///
/// The index is BLAKE2b-256 keyed with the set's index key over
/// `len(domain) as 8 bytes little-endian | domain | value`. The length
/// prefix makes the encoding injective, so equal values in different
/// domains ("mobile", "id.resident") never produce the same index.
///
/// Callers must normalise values first (the index is exact-match).
/// Thread-safe: compute() is const and touches no shared mutable state.
class blind_index {
public:
  /// Size in bytes of an index.
  static constexpr size_t size = 32;

  /// Uses the index key of `keys`; the set must not change afterwards.
  explicit blind_index(std::shared_ptr<const key_set> keys);

  /// Takes the index key from `keys` at each computation, so it follows a
  /// reloaded key file.
  explicit blind_index(std::shared_ptr<const key_source> keys);

  /// Returns the 32 raw bytes indexing `value` within `domain`.
  std::string compute(std::string_view domain, std::string_view value) const;

private:
  std::shared_ptr<const key_source> keys_;
};

/// The blind-index domains of idclaim: ID numbers ("type:number", the claim
/// key; student records use the same domain so a record joins its claim),
/// mobiles, and names in student records.
inline constexpr std::string_view id_index_domain = "claim.id";
inline constexpr std::string_view mobile_index_domain = "account.mobile";
inline constexpr std::string_view record_name_index_domain = "record.name";

} // namespace idclaim::crypto
