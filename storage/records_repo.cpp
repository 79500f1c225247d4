#include "storage/records_repo.hpp"

namespace idclaim::storage {

namespace {

constexpr std::string_view kFind
  = "SELECT id, id_index, id_cipher, name_cipher, name_index, school, "
    "class_name, enrolment_year FROM student_records "
    "WHERE id_index IN (?1, ?2) ORDER BY id_index = ?1 DESC";
constexpr std::string_view kInsert
  = "INSERT INTO student_records(id_index, id_cipher, name_cipher, "
    "name_index, school, class_name, enrolment_year, imported_ms, "
    "updated_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8) "
    "ON CONFLICT(id_index) DO NOTHING";
constexpr std::string_view kUpdate
  = "UPDATE student_records SET name_cipher = ?2, name_index = ?3, "
    "school = ?4, class_name = ?5, enrolment_year = ?6, updated_ms = ?7, "
    "id_index = ?8 WHERE id = ?1";
constexpr std::string_view kCount = "SELECT count(*) FROM student_records";

bool same_content(const record_row& a, const record_row& b) {
  // `b` is the row being imported: its name may match under either key.
  bool same_name
    = a.name_index == b.name_index
      || (!b.name_index_other.empty() && a.name_index == b.name_index_other);
  return same_name && a.school == b.school && a.class_name == b.class_name
         && a.enrolment_year == b.enrolment_year;
}

} // namespace

upsert_outcome records_repo::upsert(const record_row& row, int64_t now_ms) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (auto old = by_id_index(row.id_index, row.id_index_other)) {
      if (same_content(*old, row))
        return upsert_outcome::unchanged;
      db_.exec(kUpdate,
               {old->id, blob(row.name_cipher), blob(row.name_index),
                std::string_view{row.school}, std::string_view{row.class_name},
                row.enrolment_year, now_ms, blob(row.id_index)});
      return upsert_outcome::updated;
    }
    auto r = db_.exec(kInsert, {blob(row.id_index), blob(row.id_cipher),
                                blob(row.name_cipher), blob(row.name_index),
                                std::string_view{row.school},
                                std::string_view{row.class_name},
                                row.enrolment_year, now_ms});
    if (r.affected == 1)
      return upsert_outcome::inserted;
    // Another process inserted it meanwhile: compare with that row.
  }
  return upsert_outcome::unchanged;
}

std::optional<record_row>
records_repo::by_id_index(const std::string& id_index) {
  return by_id_index(id_index, id_index);
}

std::optional<record_row> records_repo::by_id_index(const std::string& current,
                                                    const std::string& other) {
  auto r
    = db_.exec(kFind, {blob(current), other_blob(current, other)});
  if (r.empty())
    return std::nullopt;
  auto& x = r.rows[0];
  record_row out;
  out.id = x.integer(0);
  out.id_index = x.text(1);
  out.id_cipher = x.text(2);
  out.name_cipher = x.text(3);
  out.name_index = x.text(4);
  out.school = x.text(5);
  out.class_name = x.text(6);
  out.enrolment_year = x.integer(7);
  return out;
}

int64_t records_repo::count() {
  return db_.exec(kCount, {}).rows[0].integer(0);
}

} // namespace idclaim::storage
