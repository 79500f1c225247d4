#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "domain/civil_date.hpp"
#include "domain/errors.hpp"
#include "domain/id_number.hpp"

namespace idclaim::domain {

// Parsing and validation of the 学籍 (student record) CSV files operators
// import: rows `id_type,id_number,name,school,class,enrolment_year`. Pure and
// I/O-free; storing the records is the caller's job.

/// A file with a row longer than this many bytes is refused as a whole.
constexpr std::size_t max_record_row_bytes = 4096;

/// A file with more data rows than this is refused as a whole.
constexpr std::size_t max_record_rows = 200000;

/// The earliest enrolment year a record may carry.
constexpr int min_enrolment_year = 1950;

/// One authoritative student record, every field in canonical form.
struct student_record {
  normalized_id id;       ///< as parse_id_number gives it, like all IDs
  std::string name;       ///< as parse_name gives it
  std::string school;     ///< as parse_school gives it
  std::string class_name; ///< as parse_class_name gives it
  int enrolment_year;     ///< 1950 .. today's year + 1
};

/// A record and the line of the file its row starts on.
struct record_row {
  std::size_t line;      ///< 1-based physical line where the row starts
  student_record record; ///< the validated record
};

/// A data row that was refused, and why.
struct record_rejection {
  std::size_t line; ///< 1-based physical line where the row starts
  problem why;      ///< the error, the column at fault, a zh-CN message
};

/// The outcome of reading a whole file: every data row is in exactly one of
/// the two lists, each in file order.
struct parsed_records {
  std::vector<record_row> rows;           ///< the rows to import
  std::vector<record_rejection> rejected; ///< the rows to report
};

/// Reads a student-record CSV file (RFC 4180 quoting, tokenised by libcsv in
/// strict mode). A UTF-8 BOM at the start is skipped; so are blank lines,
/// lines of only white space and rows whose cells are all blank (as
/// spreadsheets export empty rows). The first remaining row is a header, not
/// data, if its cells are `id_type,id_number,name,school,class,
/// enrolment_year` (trimmed, any case). CRLF, LF and lone CR all end a line.
///
/// Each data row is validated on its own and either kept or rejected with
/// its starting line and the first problem found, checked in this order:
/// csv_columns (not 6 cells; no field), id_type_invalid ("id_type"),
/// id_invalid ("id_number", by parse_id_number with `today`),
/// csv_duplicate_row ("id_number": an earlier row, accepted or not, had the
/// same claim_text, so a 15-digit ID and its 18-digit form collide),
/// name_invalid ("name"), school_invalid ("school"), class_invalid
/// ("class"), enrolment_year_invalid ("enrolment_year": 4 ASCII digits,
/// 1950 .. today.year + 1). Messages never contain the ID number or name.
///
/// Malformed quoting (a quote inside an unquoted field, text after a closing
/// quote, a quote never closed) makes the row it occurs in a csv_invalid
/// rejection; since the rest of the file cannot be split into rows reliably,
/// reading stops there. Such a rejection is always the last one, and the
/// rows before it are kept.
///
/// Returns a single csv_invalid problem instead, refusing the whole file,
/// when a row is longer than max_record_row_bytes or the file has more than
/// max_record_rows data rows (both checked while reading, so a huge input
/// costs no more than the limit). Never throws; out of memory gives an
/// `internal` problem.
std::variant<parsed_records, problem>
parse_student_records_csv(std::string_view csv, civil_date today);

/// Two records are classmates (同班同学) when school, class and enrolment
/// year are equal; names are compared in their canonical forms.
bool same_class(const student_record& a, const student_record& b);

} // namespace idclaim::domain
