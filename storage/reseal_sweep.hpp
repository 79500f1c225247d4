#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/field_cipher.hpp"
#include "storage/connection.hpp"

namespace idclaim::storage {

/// One column that holds sealed values (crypto::field_cipher), with the
/// context it was sealed for. `by_side` marks review_photos, whose key is
/// (case_id, side) rather than an integer id.
struct sealed_column {
  std::string_view table;
  std::string_view column;
  std::string_view context;
  bool by_side = false;
};

/// Every sealed column of the schema (SQLite and PostgreSQL alike). A new
/// sealed column must be added here, or a key rotation would leave it under
/// a key that is then removed.
const std::vector<sealed_column>& sealed_columns();

/// What a sweep has done so far.
struct reseal_counts {
  int64_t scanned = 0;    ///< sealed values looked at
  int64_t resealed = 0;   ///< values moved to the current key
  int64_t unreadable = 0; ///< values no key of the set opens
};

/// Re-seals every stored value that is not under the cipher's current key,
/// in batches, while the service keeps running (docs/key-rotation.md).
///
/// Each `step` reads one batch of one column after a cursor and rewrites
/// the stale values with a compare-and-set UPDATE (`... AND col = old`), so
/// a value the service changed meanwhile is left as the service wrote it.
/// The caller runs each step in its own short transaction. Values that
/// cannot be opened are counted and left alone: the old keys must then not
/// be removed.
class reseal_sweep {
public:
  /// Sweeps with `cipher`, `batch_rows` rows (at least 1) per step.
  reseal_sweep(const crypto::field_cipher& cipher, size_t batch_rows);

  /// Runs one batch on `conn`. Returns false once every column is done.
  /// Throws storage_error as the repositories do; the sweep is then as
  /// before the call, so the caller rolls back and calls again.
  bool step(connection& conn);

  /// Whether every column has been swept.
  bool done() const noexcept { return column_ >= sealed_columns().size(); }

  /// The counts so far.
  const reseal_counts& counts() const noexcept { return counts_; }

private:
  /// Reseals `sealed` if it is stale; returns the new value or "".
  std::string reseal(const sealed_column& col, const std::string& sealed);

  const crypto::field_cipher& cipher_;
  size_t batch_rows_;
  size_t column_ = 0;
  int64_t after_id_ = 0;
  std::string after_side_;
  reseal_counts counts_;
};

/// Counts the stored sealed values not under `current` (a check that a
/// rotation is complete before old keys are removed).
int64_t count_stale_sealed(connection& conn, crypto::key_id current);

} // namespace idclaim::storage
