#pragma once

#include <cstdint>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "crypto/blind_index.hpp"
#include "crypto/field_cipher.hpp"
#include "domain/student_records_csv.hpp"
#include "storage/connection.hpp"

namespace idclaim::actors {

/// A CSV import of student records (学籍), parsed and sealed, ready for
/// storage in chunks.
struct prepared_import {
  std::vector<storage::record_row> rows;
  std::vector<domain::record_rejection> rejected;
};

/// What an import did.
struct import_counts {
  int64_t inserted = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
};

/// Parses and validates `csv` and seals every good row (ID number and name
/// encrypted, both blind-indexed; the ID index equals the claim key). CPU
/// work: run it on the CPU pool. A problem for a file that cannot be read.
std::variant<prepared_import, problem>
prepare_import(std::string_view csv, domain::civil_date today,
               const crypto::field_cipher& cipher,
               const crypto::blind_index& index);

/// Stores rows [first, last) of an import; returns what happened to them.
/// Re-importing the same rows changes nothing.
import_counts store_records(storage::connection& conn,
                            const std::vector<storage::record_row>& rows,
                            std::size_t first, std::size_t last,
                            int64_t now_ms);

/// Rows per storage transaction, so an import never holds the writer long.
inline constexpr std::size_t import_chunk = 1000;

/// `{inserted, updated, unchanged, rejected: [{line, code, field,
/// message}]}` — the answer of the import endpoint and the CLI.
nlohmann::json import_report(const import_counts& counts,
                             const std::vector<domain::record_rejection>& r);

} // namespace idclaim::actors
