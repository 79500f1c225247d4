#include "actors/records_import.hpp"


namespace idclaim::actors {

std::variant<prepared_import, problem>
prepare_import(std::string_view csv, domain::civil_date today,
               const crypto::field_cipher& cipher,
               const crypto::blind_index& index) {
  auto parsed = domain::parse_student_records_csv(csv, today);
  if (auto p = std::get_if<problem>(&parsed))
    return *p;
  auto& records = std::get<domain::parsed_records>(parsed);
  prepared_import out;
  out.rejected = std::move(records.rejected);
  out.rows.reserve(records.rows.size());
  for (auto& r : records.rows) {
    auto claim_text = domain::claim_text(r.record.id);
    storage::record_row row;
    // Both values of each index, so a re-import during an index-key
    // rotation finds and compares rows not yet recomputed.
    auto id_index = index.compute_all(crypto::id_index_domain, claim_text);
    auto name_index
      = index.compute_all(crypto::record_name_index_domain, r.record.name);
    row.id_index = std::move(id_index.current);
    row.id_index_other = std::move(id_index.other);
    row.id_cipher = cipher.seal(claim_text, "record.id_number");
    row.name_cipher = cipher.seal(r.record.name, "record.name");
    row.name_index = std::move(name_index.current);
    row.name_index_other = std::move(name_index.other);
    row.school = r.record.school;
    row.class_name = r.record.class_name;
    row.enrolment_year = r.record.enrolment_year;
    out.rows.push_back(std::move(row));
  }
  return out;
}

import_counts store_records(storage::connection& conn,
                            const std::vector<storage::record_row>& rows,
                            std::size_t first, std::size_t last,
                            int64_t now_ms) {
  import_counts counts;
  auto repo = conn.records();
  for (auto i = first; i < last && i < rows.size(); ++i) {
    switch (repo.upsert(rows[i], now_ms)) {
      case storage::upsert_outcome::inserted:
        ++counts.inserted;
        break;
      case storage::upsert_outcome::updated:
        ++counts.updated;
        break;
      case storage::upsert_outcome::unchanged:
        ++counts.unchanged;
        break;
    }
  }
  return counts;
}

nlohmann::json import_report(const import_counts& counts,
                             const std::vector<domain::record_rejection>& r) {
  auto rejected = nlohmann::json::array();
  for (auto& x : r)
    rejected.push_back({{"line", x.line},
                        {"code", info(x.why.code).code},
                        {"field", x.why.field.empty()
                                    ? nlohmann::json(nullptr)
                                    : nlohmann::json(x.why.field)},
                        {"message", x.why.text()}});
  return {{"inserted", counts.inserted},
          {"updated", counts.updated},
          {"unchanged", counts.unchanged},
          {"rejected", rejected}};
}

} // namespace idclaim::actors
