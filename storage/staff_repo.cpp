#include "storage/staff_repo.hpp"

namespace idclaim::storage {

namespace {

constexpr std::string_view kInsert
  = "INSERT INTO staff(username, username_key, password_hash, role) "
    "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(username_key) DO NOTHING";
constexpr std::string_view kByUsername
  = "SELECT id, username, username_key, password_hash, role FROM staff "
    "WHERE username_key = ?1";
constexpr std::string_view kById
  = "SELECT id, username, username_key, password_hash, role FROM staff "
    "WHERE id = ?1";

} // namespace

std::string_view to_string(staff_role role) {
  return role == staff_role::reviewer ? "reviewer" : "operator";
}

bool staff_repo::insert(const staff_row& r) {
  return db_.exec(kInsert, {std::string_view{r.username},
                            std::string_view{r.username_key},
                            std::string_view{r.password_hash},
                            to_string(r.role)})
           .affected
         == 1;
}

std::optional<staff_row> staff_repo::find_by_username(const std::string& key) {
  return one(kByUsername, std::string_view{key});
}

std::optional<staff_row> staff_repo::find(int64_t id) {
  return one(kById, id);
}

std::optional<staff_row> staff_repo::one(std::string_view sql,
                                         const sql_param& key) {
  auto r = db_.exec(sql, {key});
  if (r.empty())
    return std::nullopt;
  auto& row = r.rows[0];
  return staff_row{row.integer(0), row.text(1), row.text(2), row.text(3),
                   row.text(4) == "reviewer" ? staff_role::reviewer
                                             : staff_role::operator_};
}

} // namespace idclaim::storage
