#include "storage/reindex_sweep.hpp"

#include <algorithm>

namespace idclaim::storage {

namespace {

/// The statements of one column, built from the table's fixed names
/// (never from input).
std::string select_sql(const indexed_column& c) {
  auto col = std::string{c.column};
  return "SELECT id, " + col + ", " + std::string{c.source} + " FROM "
         + std::string{c.table} + " WHERE id > ?1 AND " + col
         + " IS NOT NULL ORDER BY id LIMIT ?2";
}

std::string update_sql(const indexed_column& c) {
  auto t = std::string{c.table};
  auto col = std::string{c.column};
  auto sql = "UPDATE " + t + " SET " + col + " = ?1 WHERE id = ?2 AND " + col
             + " = ?3";
  // A UNIQUE column refuses a value another row holds; asking first keeps
  // the batch free of constraint errors, which would abort it.
  if (c.unique)
    sql
      += " AND NOT EXISTS (SELECT 1 FROM " + t + " o WHERE o." + col + " = ?1)";
  return sql;
}

std::string holder_sql(const indexed_column& c) {
  return "SELECT count(*) FROM " + std::string{c.table} + " WHERE "
         + std::string{c.column} + " = ?1 AND id <> ?2";
}

/// The index of the opened `sealed` under the current key, "" when no key
/// opens it.
std::string recompute(const crypto::field_cipher& cipher,
                      const crypto::blind_index& index,
                      const indexed_column& col, const std::string& sealed) {
  auto plain = cipher.open(sealed, col.source_context);
  if (!plain)
    return {};
  auto value = index.compute(col.domain, *plain);
  std::fill(plain->begin(), plain->end(), '\0');
  return value;
}

} // namespace

const std::vector<indexed_column>& indexed_columns() {
  static const std::vector<indexed_column> all{
    {"claims", "claim_key", "id_cipher", "claim.id_number",
     crypto::id_index_domain, true},
    {"accounts", "mobile_index", "mobile_cipher", "account.mobile",
     crypto::mobile_index_domain, false},
    {"student_records", "id_index", "id_cipher", "record.id_number",
     crypto::id_index_domain, true},
    {"student_records", "name_index", "name_cipher", "record.name",
     crypto::record_name_index_domain, false},
  };
  return all;
}

reindex_sweep::reindex_sweep(const crypto::field_cipher& cipher,
                             const crypto::blind_index& index,
                             size_t batch_rows)
  : cipher_(cipher), index_(index),
    batch_rows_(std::max<size_t>(1, batch_rows)) {
  // nop
}

std::string reindex_sweep::expected(const indexed_column& col,
                                    const std::string& sealed) {
  ++counts_.scanned;
  auto value = recompute(cipher_, index_, col, sealed);
  if (value.empty())
    ++counts_.unreadable;
  return value;
}

bool reindex_sweep::step(connection& conn) {
  if (done())
    return false;
  auto& col = indexed_columns()[column_];
  auto& db = conn.driver();
  auto limit = static_cast<int64_t>(batch_rows_);
  auto rows = db.exec(select_sql(col), {after_id_, limit});
  auto update = update_sql(col);
  // The cursor and counts move only once the whole batch has run, so a
  // batch that throws (and is rolled back) is done again from its start.
  auto saved = counts_;
  try {
    for (auto& row : rows.rows) {
      auto& stored = row.text(1);
      auto fresh = expected(col, row.text(2));
      if (fresh.empty() || fresh == stored)
        continue;
      auto id = row.integer(0);
      auto r = db.exec(update, {blob(fresh), id, blob(stored)});
      counts_.reindexed += r.affected;
      if (r.affected == 0 && col.unique
          && db.exec(holder_sql(col), {blob(fresh), id}).rows[0].integer(0) > 0)
        ++counts_.conflicts;
    }
  } catch (...) {
    counts_ = saved;
    throw;
  }
  if (rows.rows.size() < batch_rows_) {
    ++column_;
    after_id_ = 0;
  } else {
    after_id_ = rows.rows.back().integer(0);
  }
  return !done();
}

int64_t count_stale_indexes(connection& conn,
                            const crypto::field_cipher& cipher,
                            const crypto::blind_index& index) {
  int64_t stale = 0;
  for (auto& col : indexed_columns()) {
    auto sql = "SELECT " + std::string{col.column} + ", "
               + std::string{col.source} + " FROM " + std::string{col.table}
               + " WHERE " + std::string{col.column} + " IS NOT NULL";
    auto rows = conn.driver().exec(sql, {});
    for (auto& row : rows.rows)
      if (recompute(cipher, index, col, row.text(1)) != row.text(0))
        ++stale;
  }
  return stale;
}

} // namespace idclaim::storage
