#include "domain/student_records_csv.hpp"

#include <algorithm>
#include <exception>
#include <optional>
#include <unordered_map>
#include <utility>

#include <csv.h>

#include "domain/fields.hpp"

namespace idclaim::domain {

namespace {

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

constexpr std::size_t column_count = 6;

constexpr std::string_view column_names[column_count]
  = {"id_type", "id_number", "name", "school", "class", "enrolment_year"};

// -- small text helpers -------------------------------------------------------

bool is_space_or_tab(char c) {
  return c == ' ' || c == '\t';
}

// libcsv skips exactly these bytes between rows (its default space test).
bool only_spaces_and_tabs(std::string_view text) {
  return std::all_of(text.begin(), text.end(), is_space_or_tab);
}

std::string_view trim_ascii(std::string_view text) {
  while (!text.empty() && is_space_or_tab(text.front()))
    text.remove_prefix(1);
  while (!text.empty() && is_space_or_tab(text.back()))
    text.remove_suffix(1);
  return text;
}

bool equals_ignoring_case(std::string_view text, std::string_view lower) {
  auto same = [](char c, char l) {
    return (c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) == l;
  };
  return text.size() == lower.size()
         && std::equal(text.begin(), text.end(), lower.begin(), same);
}

using cells = std::vector<std::string>;

bool is_header(const cells& row) {
  if (row.size() != column_count)
    return false;
  for (std::size_t i = 0; i < column_count; ++i)
    if (!equals_ignoring_case(trim_ascii(row[i]), column_names[i]))
      return false;
  return true;
}

bool all_blank(const cells& row) {
  return std::all_of(row.begin(), row.end(),
                     [](const std::string& cell) { return is_blank(cell); });
}

// -- rows out of libcsv -------------------------------------------------------

enum class read_status {
  row,            ///< cells() and line() describe the next row
  end,            ///< no more rows
  bad_quote,      ///< a quote where strict CSV allows none
  unclosed_quote, ///< the text ended inside a quoted field
  row_too_long,   ///< the row at line() exceeds max_record_row_bytes
  out_of_memory,  ///< libcsv could not grow its buffer
};

/// Splits CSV text into rows with libcsv and knows the physical line each
/// row starts on. libcsv reports field and row ends but no positions, so the
/// reader feeds it one physical line (with its line break) per call: a row
/// ends only at a line break, so always at the end of the chunk just fed;
/// and it starts on the first line after the previous row that holds more
/// than spaces and tabs, the only bytes libcsv skips between rows. This
/// costs one csv_parse call per line and keeps the whole read linear.
class csv_row_reader {
public:
  explicit csv_row_reader(std::string_view text) : rest_(text) {
    if (rest_.substr(0, utf8_bom.size()) == utf8_bom)
      rest_.remove_prefix(utf8_bom.size());
    // Cannot fail: it only fails for a null parser.
    csv_init(&parser_, CSV_STRICT | CSV_STRICT_FINI);
  }

  ~csv_row_reader() { csv_free(&parser_); }

  csv_row_reader(const csv_row_reader&) = delete;
  csv_row_reader& operator=(const csv_row_reader&) = delete;

  /// Reads the next row. Anything but `row` is final: later calls repeat it.
  read_status next() {
    if (stopped_)
      return *stopped_;
    cells_.clear();
    row_ended_ = false;
    while (!rest_.empty()) {
      auto [content, chunk] = take_line();
      if (!in_row_) {
        if (only_spaces_and_tabs(content))
          continue; // a blank line, not a row
        in_row_ = true;
        row_line_ = line_no_;
        row_lines_ = 0;
        row_bytes_ = 0;
      }
      ++row_lines_;
      // Checked before feeding, so an endless line is never buffered.
      if (row_bytes_ + content.size() > max_record_row_bytes)
        return stop(read_status::row_too_long);
      row_bytes_ += chunk.size();
      auto used = csv_parse(&parser_, chunk.data(), chunk.size(), on_field,
                            on_row, this);
      if (auto failed = check(used == chunk.size(), read_status::bad_quote))
        return stop(*failed);
      if (row_ended_)
        return end_row();
    }
    if (!finished_) {
      finished_ = true;
      auto ok = csv_fini(&parser_, on_field, on_row, this) == 0;
      if (auto failed = check(ok, read_status::unclosed_quote))
        return stop(*failed);
      if (row_ended_)
        return end_row();
    }
    return read_status::end;
  }

  /// The 1-based line on which the current row starts.
  std::size_t line() const { return row_line_; }

  /// How many physical lines the current row spans so far.
  std::size_t line_span() const { return row_lines_; }

  /// The cells of the row `next` just read.
  const cells& row() const { return cells_; }

private:
  struct line_chunk {
    std::string_view content; ///< the line without its break
    std::string_view chunk;   ///< the line with its break
  };

  // CRLF, LF and a lone CR each end a line, as each ends a row in libcsv.
  line_chunk take_line() {
    ++line_no_;
    auto end = rest_.find_first_of("\r\n");
    if (end == std::string_view::npos) {
      line_chunk all{rest_, rest_};
      rest_ = {};
      return all;
    }
    auto breaks = rest_.compare(end, 2, "\r\n") == 0 ? 2 : 1;
    line_chunk line{rest_.substr(0, end), rest_.substr(0, end + breaks)};
    rest_.remove_prefix(end + breaks);
    return line;
  }

  std::optional<read_status> check(bool parsed, read_status parse_error) {
    if (alloc_failed_)
      return read_status::out_of_memory;
    if (parsed)
      return std::nullopt;
    return csv_error(&parser_) == CSV_EPARSE ? parse_error
                                             : read_status::out_of_memory;
  }

  read_status stop(read_status status) {
    stopped_ = status;
    return status;
  }

  read_status end_row() {
    in_row_ = false;
    return read_status::row;
  }

  // libcsv is C: nothing may unwind through it, so the callbacks only
  // record what happened and the reader acts after csv_parse returns.
  static void on_field(void* data, std::size_t size, void* self) {
    auto& reader = *static_cast<csv_row_reader*>(self);
    try {
      auto bytes = static_cast<const char*>(data);
      reader.cells_.emplace_back(bytes ? bytes : "", bytes ? size : 0);
    } catch (const std::exception&) {
      reader.alloc_failed_ = true;
    }
  }

  static void on_row(int, void* self) {
    static_cast<csv_row_reader*>(self)->row_ended_ = true;
  }

  csv_parser parser_;
  std::string_view rest_;
  std::size_t line_no_ = 0;
  bool in_row_ = false;
  std::size_t row_line_ = 0;
  std::size_t row_lines_ = 0;
  std::size_t row_bytes_ = 0;
  bool row_ended_ = false;
  bool alloc_failed_ = false;
  bool finished_ = false;
  std::optional<read_status> stopped_;
  cells cells_;
};

// -- problems -----------------------------------------------------------------

problem columns_problem(std::size_t count) {
  return make_problem(errc::csv_columns, {},
                      "列数不正确：应为 6 列（id_type,id_number,name,school,"
                      "class,enrolment_year），此行为 "
                        + std::to_string(count) + " 列");
}

problem quote_problem(read_status status) {
  std::string why = status == read_status::unclosed_quote
                      ? "引号未闭合：此行开始的字段缺少结束引号"
                      : "引号使用不正确：字段中的引号须写成两个引号，"
                        "且该字段须整个用引号括起来";
  return make_problem(errc::csv_invalid, {},
                      why + "；此行及之后的内容未能读取");
}

problem too_long_problem(std::size_t line, std::size_t span) {
  auto limit = std::to_string(max_record_row_bytes);
  auto at = std::to_string(line);
  // A row over several lines is usually a quote left open.
  auto message = span > 1 ? "从第 " + at + " 行开始的一行数据超过 " + limit
                              + " 字节（跨越多行，可能是引号未闭合）"
                          : "第 " + at + " 行超过 " + limit + " 字节";
  return make_problem(errc::csv_invalid, {}, message + "，文件未导入");
}

problem too_many_rows_problem() {
  return make_problem(errc::csv_invalid, {},
                      "文件超过 " + std::to_string(max_record_rows)
                        + " 行数据，请分成多个文件导入");
}

// -- one row ------------------------------------------------------------------

std::variant<normalized_id, problem>
parse_record_id(std::string_view type_cell, std::string_view number_cell,
                civil_date today) {
  auto type_name = trim_ascii(type_cell);
  if (type_name.empty())
    return make_problem(errc::id_type_invalid, "id_type", "请填写证件类型");
  auto type = parse_id_type(type_name);
  if (!type)
    return make_problem(errc::id_type_invalid, "id_type",
                        "证件类型须为 resident、hk_macao_permit、"
                        "taiwan_permit、residence_permit 或 passport");
  auto parsed = parse_id_number(*type, number_cell, today);
  if (auto rejection = std::get_if<id_rejection>(&parsed))
    return to_problem(*rejection);
  return std::get<normalized_id>(std::move(parsed));
}

std::variant<int, problem> parse_enrolment_year(std::string_view cell,
                                                civil_date today) {
  auto bad = [](std::string message) {
    return make_problem(errc::enrolment_year_invalid, "enrolment_year",
                        std::move(message));
  };
  auto text = trim_ascii(cell);
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  if (text.size() != 4 || !std::all_of(text.begin(), text.end(), is_digit))
    return bad("入学年份须为 4 位数字，例如 2021");
  auto year = std::stoi(std::string{text});
  auto latest = today.year + 1;
  if (year < min_enrolment_year || year > latest)
    return bad("入学年份须在 " + std::to_string(min_enrolment_year) + " 年至 "
               + std::to_string(latest) + " 年之间");
  return year;
}

// The fields after the ID, in column order; the first problem wins.
std::variant<student_record, problem>
complete_record(normalized_id id, const cells& row, civil_date today) {
  student_record record{std::move(id), {}, {}, {}, 0};
  auto name = parse_name(row[2]);
  if (auto p = std::get_if<problem>(&name))
    return *p;
  record.name = std::get<std::string>(std::move(name));
  auto school = parse_school(row[3]);
  if (auto p = std::get_if<problem>(&school))
    return *p;
  record.school = std::get<std::string>(std::move(school));
  auto class_name = parse_class_name(row[4]);
  if (auto p = std::get_if<problem>(&class_name))
    return *p;
  record.class_name = std::get<std::string>(std::move(class_name));
  auto year = parse_enrolment_year(row[5], today);
  if (auto p = std::get_if<problem>(&year))
    return *p;
  record.enrolment_year = std::get<int>(year);
  return record;
}

/// Validates data rows one by one and remembers the IDs seen so far.
class record_collector {
public:
  explicit record_collector(civil_date today) : today_(today) {}

  /// Adds the data row starting at `line` to the rows or the rejections.
  void add(std::size_t line, const cells& row) {
    if (row.size() != column_count)
      return reject(line, columns_problem(row.size()));
    auto id = parse_record_id(row[0], row[1], today_);
    if (auto p = std::get_if<problem>(&id))
      return reject(line, std::move(*p));
    auto& valid_id = std::get<normalized_id>(id);
    // The first row with an ID owns it, even when a later column fails.
    auto [first, inserted] = first_line_.emplace(claim_text(valid_id), line);
    if (!inserted)
      return reject(line, duplicate_problem(first->second));
    auto record = complete_record(std::move(valid_id), row, today_);
    if (auto p = std::get_if<problem>(&record))
      return reject(line, std::move(*p));
    result_.rows.push_back(
      record_row{line, std::get<student_record>(std::move(record))});
  }

  /// Rejects the row starting at `line`.
  void reject(std::size_t line, problem why) {
    result_.rejected.push_back(record_rejection{line, std::move(why)});
  }

  /// The outcome so far.
  parsed_records take() { return std::move(result_); }

private:
  static problem duplicate_problem(std::size_t first_line) {
    return make_problem(errc::csv_duplicate_row, "id_number",
                        "同一证件号码在文件中重复出现，首次出现在第 "
                          + std::to_string(first_line) + " 行");
  }

  civil_date today_;
  std::unordered_map<std::string, std::size_t> first_line_;
  parsed_records result_;
};

std::variant<parsed_records, problem> read_records(std::string_view csv,
                                                   civil_date today) {
  csv_row_reader reader{csv};
  record_collector records{today};
  bool first_row = true;
  std::size_t data_rows = 0;
  while (true) {
    switch (auto status = reader.next()) {
    case read_status::row:
      break;
    case read_status::end:
      return records.take();
    case read_status::bad_quote:
    case read_status::unclosed_quote:
      records.reject(reader.line(), quote_problem(status));
      return records.take();
    case read_status::row_too_long:
      return too_long_problem(reader.line(), reader.line_span());
    case read_status::out_of_memory:
      return make_problem(errc::internal);
    }
    auto& row = reader.row();
    if (all_blank(row))
      continue;
    if (std::exchange(first_row, false) && is_header(row))
      continue;
    if (++data_rows > max_record_rows)
      return too_many_rows_problem();
    records.add(reader.line(), row);
  }
}

} // namespace

std::variant<parsed_records, problem>
parse_student_records_csv(std::string_view csv, civil_date today) {
  try {
    return read_records(csv, today);
  } catch (const std::exception&) {
    // Only allocation can throw here; the caller gets the table's message.
    return make_problem(errc::internal);
  }
}

bool same_class(const student_record& a, const student_record& b) {
  return a.school == b.school && a.class_name == b.class_name
         && a.enrolment_year == b.enrolment_year;
}

} // namespace idclaim::domain
