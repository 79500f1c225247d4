#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/blind_index.hpp"
#include "crypto/field_cipher.hpp"
#include "storage/connection.hpp"

namespace idclaim::storage {

/// One column that holds blind indexes, with the sealed column of the same
/// row whose plaintext it indexes. `unique` marks the columns with a
/// UNIQUE constraint (claims.claim_key, student_records.id_index).
struct indexed_column {
  std::string_view table;
  std::string_view column;
  std::string_view source;         ///< the sealed column of the plaintext
  std::string_view source_context; ///< the context it was sealed for
  std::string_view domain;         ///< the blind-index domain
  bool unique = false;
};

/// Every blind-index column recomputed by an index-key rotation. Not
/// listed: sms_codes.mobile_index (and code_digest), which has no sealed
/// plaintext and lives minutes; a rotation waits for those codes to
/// expire instead (docs/key-rotation.md). A new blind-index column must be
/// added here or to that rule.
const std::vector<indexed_column>& indexed_columns();

/// What a reindex sweep has done so far.
struct reindex_counts {
  int64_t scanned = 0;    ///< indexes looked at
  int64_t reindexed = 0;  ///< indexes rewritten under the current key
  int64_t unreadable = 0; ///< rows whose sealed plaintext no key opens
  int64_t conflicts = 0;  ///< rows whose new value another row already has
};

/// Recomputes every stored blind index under the index's current key, in
/// batches, while the service keeps running (docs/key-rotation.md).
///
/// Each `step` reads one batch of one column after a cursor on the primary
/// key, opens the row's sealed plaintext and rewrites a stale index with a
/// compare-and-set UPDATE (`... AND col = old`), so an index the service
/// changed meanwhile is left as the service wrote it. In a UNIQUE column a
/// value another row already holds is not written but counted as a
/// conflict (two rows for one ID: the old key must then stay). The caller
/// runs each step in its own short transaction.
class reindex_sweep {
public:
  /// Sweeps with `cipher` (to open the plaintext) and `index` (whose
  /// current key computes the new values), `batch_rows` (at least 1) rows
  /// per step.
  reindex_sweep(const crypto::field_cipher& cipher,
                const crypto::blind_index& index, size_t batch_rows);

  /// Runs one batch on `conn`. Returns false once every column is done.
  /// Throws storage_error as the repositories do; the sweep is then as
  /// before the call, so the caller rolls back and calls again.
  bool step(connection& conn);

  /// Whether every column has been swept.
  bool done() const noexcept { return column_ >= indexed_columns().size(); }

  /// The counts so far.
  const reindex_counts& counts() const noexcept { return counts_; }

private:
  /// The index `sealed` should have in `col`, or "" when it cannot be
  /// opened (counted).
  std::string expected(const indexed_column& col, const std::string& sealed);

  const crypto::field_cipher& cipher_;
  const crypto::blind_index& index_;
  size_t batch_rows_;
  size_t column_ = 0;
  int64_t after_id_ = 0;
  reindex_counts counts_;
};

/// Counts the stored blind indexes that differ from their value under the
/// current key of `index` (a check that a rotation is complete before the
/// old index key is removed). Rows whose plaintext cannot be opened count
/// as stale.
int64_t count_stale_indexes(connection& conn,
                            const crypto::field_cipher& cipher,
                            const crypto::blind_index& index);

} // namespace idclaim::storage
