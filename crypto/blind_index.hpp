#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/key_set.hpp"
#include "crypto/key_source.hpp"

namespace idclaim::crypto {

/// The values of one input under every blind-index key of one key set:
/// `current` is the value to write, `other` the value under the other key
/// during an index-key rotation (empty otherwise). Lookups ask for both.
struct index_values {
  std::string current;
  std::string other;

  /// The values to look up: `current`, then `other` when there is one.
  std::vector<std::string> all() const;

  /// Whether `stored` is one of the values (a row already indexed).
  bool matches(const std::string& stored) const {
    return stored == current || (!other.empty() && stored == other);
  }

  /// The second lookup value: `other`, or `current` again when there is
  /// none, so a query `IN (?1, ?2)` has the same shape either way.
  const std::string& other_or_current() const {
    return other.empty() ? current : other;
  }
};

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

  /// Returns the 32 raw bytes indexing `value` within `domain`, under the
  /// current index key: the value to write.
  std::string compute(std::string_view domain, std::string_view value) const;

  /// The values of `value` under every index key of one snapshot (the
  /// current one and, during a rotation, the other): the values to look up.
  index_values compute_all(std::string_view domain,
                           std::string_view value) const;

  /// Whether the current snapshot holds two index keys (a rotation is
  /// going on), so stored values may be under either.
  bool rotating() const;

  /// The value of `value` under `key` (a sweep recomputing stored rows).
  static std::string compute_with(const secret_key& key,
                                  std::string_view domain,
                                  std::string_view value);

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
