#include "storage/reseal_sweep.hpp"

#include <algorithm>
#include <stdexcept>

namespace idclaim::storage {

namespace {

/// The statements of one column, built once per call from the table's
/// fixed names (never from input).
std::string select_sql(const sealed_column& c) {
  auto t = std::string{c.table};
  auto col = std::string{c.column};
  if (c.by_side)
    return "SELECT case_id, side, " + col + " FROM " + t
           + " WHERE case_id > ?1 OR (case_id = ?1 AND side > ?2)"
             " ORDER BY case_id, side LIMIT ?3";
  return "SELECT id, " + col + " FROM " + t + " WHERE id > ?1 AND " + col
         + " IS NOT NULL ORDER BY id LIMIT ?2";
}

std::string update_sql(const sealed_column& c) {
  auto t = std::string{c.table};
  auto col = std::string{c.column};
  if (c.by_side)
    return "UPDATE " + t + " SET " + col + " = ?1 WHERE case_id = ?2 AND "
           + "side = ?3 AND " + col + " = ?4";
  return "UPDATE " + t + " SET " + col + " = ?1 WHERE id = ?2 AND " + col
         + " = ?3";
}

/// The key id byte of a sealed value (see field_cipher), or 0 for a value
/// too short to be one.
crypto::key_id stored_key_id(const std::string& sealed) {
  if (sealed.size() < crypto::field_cipher::overhead)
    return 0;
  return static_cast<crypto::key_id>(sealed[1]);
}

/// The most photos re-sealed in one transaction.
constexpr size_t photo_batch = 16;

} // namespace

const std::vector<sealed_column>& sealed_columns() {
  static const std::vector<sealed_column> all{
    {"claims", "id_cipher", "claim.id_number"},
    {"accounts", "name_cipher", "account.name"},
    {"accounts", "mobile_cipher", "account.mobile"},
    {"accounts", "email_cipher", "account.email"},
    {"assist_requests", "requester_mobile_cipher", "assist.mobile"},
    {"student_records", "id_cipher", "record.id_number"},
    {"student_records", "name_cipher", "record.name"},
    {"review_photos", "photo_cipher", "review.photo", true},
  };
  return all;
}

reseal_sweep::reseal_sweep(const crypto::field_cipher& cipher,
                           size_t batch_rows)
  : cipher_(cipher), batch_rows_(std::max<size_t>(1, batch_rows)) {
  // nop
}

std::string reseal_sweep::reseal(const sealed_column& col,
                                 const std::string& sealed) {
  ++counts_.scanned;
  if (stored_key_id(sealed) == cipher_.current_key_id())
    return {};
  auto plain = cipher_.open(sealed, col.context);
  if (!plain) {
    ++counts_.unreadable;
    return {};
  }
  auto fresh = cipher_.seal(*plain, col.context);
  std::fill(plain->begin(), plain->end(), '\0');
  return fresh;
}

bool reseal_sweep::step(connection& conn) {
  if (done())
    return false;
  auto& col = sealed_columns()[column_];
  auto& db = conn.driver();
  // Photos are large: fewer of them per transaction keeps each one short.
  auto rows_wanted
    = col.by_side ? std::min<size_t>(batch_rows_, photo_batch) : batch_rows_;
  auto limit = static_cast<int64_t>(rows_wanted);
  auto select = select_sql(col);
  auto update = update_sql(col);
  auto rows
    = col.by_side
        ? db.exec(select, {after_id_, std::string_view{after_side_}, limit})
        : db.exec(select, {after_id_, limit});
  // The cursor and counts move only once the whole batch has run, so a
  // batch that throws (and is rolled back) is done again from its start.
  auto saved = counts_;
  try {
    for (auto& row : rows.rows) {
      auto& sealed = row.text(col.by_side ? 2 : 1);
      auto fresh = reseal(col, sealed);
      if (fresh.empty())
        continue;
      auto r
        = col.by_side
            ? db.exec(update, {blob(fresh), row.integer(0),
                               std::string_view{row.text(1)}, blob(sealed)})
            : db.exec(update, {blob(fresh), row.integer(0), blob(sealed)});
      counts_.resealed += r.affected;
    }
  } catch (...) {
    counts_ = saved;
    throw;
  }
  if (rows.rows.size() < rows_wanted) {
    ++column_;
    after_id_ = 0;
    after_side_.clear();
  } else {
    auto& last = rows.rows.back();
    after_id_ = last.integer(0);
    if (col.by_side)
      after_side_ = last.text(1);
  }
  return !done();
}

int64_t count_stale_sealed(connection& conn, crypto::key_id current) {
  int64_t stale = 0;
  for (auto& col : sealed_columns()) {
    // The key id is byte 2 of the value; reading whole values keeps the SQL
    // common to both dialects, and this check runs once per rotation.
    auto sql = "SELECT " + std::string{col.column} + " FROM "
               + std::string{col.table} + " WHERE " + std::string{col.column}
               + " IS NOT NULL";
    auto rows = conn.driver().exec(sql, {});
    for (auto& row : rows.rows)
      if (stored_key_id(row.text(0)) != current)
        ++stale;
  }
  return stale;
}

} // namespace idclaim::storage
