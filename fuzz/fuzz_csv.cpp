// Fuzzes the student-record (学籍) CSV import: the input is the whole file.

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <variant>

#include "domain/student_records_csv.hpp"
#include "fuzz/fuzz_support.hpp"

using namespace idclaim;
using namespace idclaim::domain;

namespace {

/// The fields a row rejection may name, from the header of the doc comment.
bool known_field(const std::string& field) {
  static const std::set<std::string> fields{
    "", "id_type", "id_number", "name", "school", "class", "enrolment_year"};
  return fields.count(field) > 0;
}

void check_records(const parsed_records& records) {
  std::size_t last = 0;
  std::set<std::string> ids;
  for (auto& row : records.rows) {
    fuzz::require(row.line > last, "rows not in file order");
    last = row.line;
    auto& r = row.record;
    fuzz::require(ids.insert(claim_text(r.id)).second, "duplicate ID kept");
    auto again = parse_id_number(r.id.type, r.id.number, fuzz::today);
    auto same = std::get_if<normalized_id>(&again);
    fuzz::require(same && same->number == r.id.number,
                  "kept ID is not canonical");
    fuzz::require(!r.name.empty() && !r.school.empty() && !r.class_name.empty(),
                  "kept record with an empty field");
    fuzz::require(r.enrolment_year >= min_enrolment_year
                    && r.enrolment_year <= fuzz::today.year + 1,
                  "kept record with an enrolment year out of range");
    fuzz::require(same_class(r, r), "a record is not its own classmate");
  }
  last = 0;
  for (auto& no : records.rejected) {
    fuzz::require(no.line > last, "rejections not in file order");
    last = no.line;
    fuzz::require(known_field(no.why.field), "rejection names no column");
    fuzz::require(no.why.code != errc::internal, "row rejected as internal");
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  auto result
    = parse_student_records_csv(fuzz::as_text(data, size), fuzz::today);
  if (auto p = std::get_if<problem>(&result)) {
    // Only the size limits refuse a whole file; an internal error would be
    // an exception swallowed at the boundary, i.e. a bug.
    fuzz::require(p->code == errc::csv_invalid,
                  "file refused, not csv_invalid");
    return 0;
  }
  check_records(std::get<parsed_records>(result));
  return 0;
}
