#define CAF_SUITE domain.student_records_csv
#include <caf/test/unit_test.hpp>

#include "domain/student_records_csv.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

using namespace idclaim;
using namespace idclaim::domain;

namespace {

const civil_date today{2026, 3, 15};

// -- building input -----------------------------------------------------------

// A resident ID with the right check character ('?' for a bad body, which
// every case below would then show). Runs during static initialisation, so
// it cannot use CAF_REQUIRE.
std::string resident(const std::string& first17) {
  return first17 + gb11643_check_character(first17).value_or('?');
}

// The n-th of many distinct valid resident IDs (n < 28000).
std::string nth_id(unsigned n) {
  char body[32];
  std::snprintf(body, sizeof body, "1101051990%02d%02d%03d", 1 + n / 28000,
                1 + (n / 1000) % 28, n % 1000);
  return resident(body);
}

const std::string id_a = nth_id(1);
const std::string id_b = nth_id(2);
const std::string id_c = nth_id(3);
// A legacy 15-digit number and its 18-digit upgrade.
const std::string legacy15 = "110105900101123";
const std::string upgraded18 = resident("11010519900101123");

// ASCII as full-width forms (U+FF01..U+FF5E), as Chinese keyboards type it.
std::string full_width(const std::string& ascii) {
  std::string out;
  for (char c : ascii) {
    auto cp = 0xFF01 + (c - '!');
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

struct row_spec {
  std::string id;
  std::string name = "张三";
  std::string school = "清华大学";
  std::string class_name = "计算机2101班";
  std::string year = "2021";
  std::string type = "resident";
};

std::string csv_row(const row_spec& r) {
  return r.type + ',' + r.id + ',' + r.name + ',' + r.school + ','
         + r.class_name + ',' + r.year;
}

std::string row(const std::string& id) {
  return csv_row(row_spec{id});
}

const std::string header = "id_type,id_number,name,school,class,enrolment_year";

// -- rendering results --------------------------------------------------------

// "<line> ok <claim text> <name>|<school>|<class>|<year>".
std::string ok(std::size_t line, const std::string& id18,
               const std::string& name = "张三",
               const std::string& school = "清华大学",
               const std::string& class_name = "计算机2101班",
               int year = 2021) {
  return std::to_string(line) + " ok resident:" + id18 + " " + name + "|"
         + school + "|" + class_name + "|" + std::to_string(year);
}

// "<line> <CODE field>".
std::string bad(std::size_t line, const std::string& code,
                const std::string& field = "") {
  return std::to_string(line) + " <" + code + " " + field + ">";
}

// The whole file refused.
std::string whole(const std::string& code) {
  return "file <" + code + ">";
}

std::string render(const record_row& r) {
  auto& rec = r.record;
  return std::to_string(r.line) + " ok " + claim_text(rec.id) + " " + rec.name
         + "|" + rec.school + "|" + rec.class_name + "|"
         + std::to_string(rec.enrolment_year);
}

std::string render(const record_rejection& r) {
  return bad(r.line, std::string{info(r.why.code).code}, r.why.field);
}

// Every row and rejection, merged in line order, one per line of text.
std::string outcome(const std::variant<parsed_records, problem>& result) {
  if (auto p = std::get_if<problem>(&result))
    return whole(std::string{info(p->code).code}) + "\n";
  auto& parsed = std::get<parsed_records>(result);
  std::multimap<std::size_t, std::string> by_line;
  for (auto& r : parsed.rows)
    by_line.emplace(r.line, render(r));
  for (auto& r : parsed.rejected)
    by_line.emplace(r.line, render(r));
  std::string text;
  for (auto& [line, entry] : by_line)
    text += entry + "\n";
  return text;
}

std::string lines(const std::vector<std::string>& entries) {
  std::string text;
  for (auto& e : entries)
    text += e + "\n";
  return text;
}

struct csv_case {
  std::string label;
  std::string csv;
  std::vector<std::string> expected;
};

// A row exactly `bytes` long: the school padded with spaces, which libcsv
// trims from unquoted fields.
std::string row_of_size(std::size_t bytes) {
  auto base = row(id_a);
  auto school_end = base.find("清华大学") + std::string{"清华大学"}.size();
  return base.insert(school_end, std::string(bytes - base.size(), ' '));
}

bool has_digit_run(const std::string& text, std::size_t length) {
  std::size_t run = 0;
  for (char c : text) {
    run = c >= '0' && c <= '9' ? run + 1 : 0;
    if (run >= length)
      return true;
  }
  return false;
}

// -- the table ----------------------------------------------------------------

std::vector<csv_case> layout_cases() {
  return {
    {"one row, no header", row(id_a) + "\n", {ok(1, id_a)}},
    {"header then rows",
     header + "\n" + row(id_a) + "\n" + row(id_b) + "\n",
     {ok(2, id_a), ok(2 + 1, id_b)}},
    {"header in other case and spaced",
     " ID_Type , Id_Number,NAME,School,CLASS, Enrolment_Year\n" + row(id_a),
     {ok(2, id_a)}},
    {"quoted header",
     "\"id_type\",\"id_number\",\"name\",\"school\",\"class\","
     "\"enrolment_year\"\n"
       + row(id_a),
     {ok(2, id_a)}},
    {"header only once, at the top",
     row(id_a) + "\n" + header + "\n" + row(id_b),
     {ok(1, id_a), bad(2, "ID_TYPE_INVALID", "id_type"), ok(3, id_b)}},
    {"header with 5 columns is data",
     "id_type,id_number,name,school,class\n" + row(id_a),
     {bad(1, "CSV_COLUMNS"), ok(2, id_a)}},
    {"BOM and header",
     "\xEF\xBB\xBF" + header + "\n" + row(id_a),
     {ok(2, id_a)}},
    {"BOM without header",
     "\xEF\xBB\xBF" + row(id_a) + "\n" + row(id_b),
     {ok(1, id_a), ok(2, id_b)}},
    {"CRLF",
     header + "\r\n" + row(id_a) + "\r\n" + row(id_b) + "\r\n",
     {ok(2, id_a), ok(3, id_b)}},
    {"mixed CRLF, LF and CR",
     row(id_a) + "\r\n" + row(id_b) + "\n" + row(id_c) + "\r" + "\r\n"
       + row(nth_id(4)),
     {ok(1, id_a), ok(2, id_b), ok(3, id_c), ok(5, nth_id(4))}},
    {"no final line break",
     row(id_a) + "\n" + row(id_b),
     {ok(1, id_a), ok(2, id_b)}},
    {"blank lines",
     "\n\n" + row(id_a) + "\n\n\n" + row(id_b) + "\n\n",
     {ok(3, id_a), ok(6, id_b)}},
    {"whitespace-only lines",
     " \t \n" + header + "\r\n   \r\n\xE3\x80\x80\n\t\n" + row(id_a),
     {ok(6, id_a)}},
    {"empty spreadsheet rows",
     row(id_a) + "\n,,,,,\n , ,\n" + row(id_b),
     {ok(1, id_a), ok(4, id_b)}},
    {"blank file", "", {}},
    {"only BOM and blank lines", "\xEF\xBB\xBF\r\n\r\n", {}},
    {"only a header", header + "\n", {}},
  };
}

std::vector<csv_case> quoting_cases() {
  return {
    {"quoted field with commas",
     csv_row({id_a, "张三", "\"清华大学,深圳研究生院\""}),
     {ok(1, id_a, "张三", "清华大学,深圳研究生院")}},
    {"doubled quotes",
     csv_row({id_a, "张三", "清华大学", "\"2101\"\"A\"\"班\""}),
     {ok(1, id_a, "张三", "清华大学", "2101\"A\"班")}},
    {"every field quoted",
     "\"resident\",\"" + id_a
       + "\",\"张三\",\"清华大学\",\"计算机2101班\","
         "\"2021\"\n"
       + row(id_b),
     {ok(1, id_a), ok(2, id_b)}},
    {"quoted spaces are trimmed by the validators",
     csv_row({" " + id_a + " ", "\" 张三 \"", "\" 清华大学 \"",
              "\" 计算机2101班 \"", "\" 2021 \"", "\" resident \""}),
     {ok(1, id_a)}},
    {"embedded newline moves the next row down",
     csv_row({id_a, "张三", "\"清华大学\n\""}) + "\n" + row(id_b) + "\n",
     {ok(1, id_a), ok(3, id_b)}},
    {"embedded CRLFs in a CRLF file",
     row(id_a) + "\r\n" + csv_row({id_b, "张三", "\"\r\n\r\n清华大学\""})
       + "\r\n" + row(id_c) + "\r\n",
     {ok(1, id_a), ok(2, id_b), ok(5, id_c)}},
    {"embedded newline in a rejected row",
     csv_row({id_a, "张三", "\"清华\n大学\""}) + "\n\n" + row(id_b),
     {bad(1, "SCHOOL_INVALID", "school"), ok(4, id_b)}},
    {"quote inside an unquoted field stops reading",
     row(id_a) + "\n" + csv_row({id_b, "张三", "清华\"大学"}) + "\n"
       + row(id_c),
     {ok(1, id_a), bad(2, "CSV_INVALID")}},
    {"text after a closing quote stops reading",
     row(id_a) + "\n\n" + csv_row({id_b, "张三", "\"清华\"大学"}) + "\n"
       + row(id_c),
     {ok(1, id_a), bad(3, "CSV_INVALID")}},
    {"unterminated quote at the end",
     row(id_a) + "\n" + row(id_b) + "\n" + csv_row({id_c, "张三", "\"清华大学"})
       + "\n",
     {ok(1, id_a), ok(2, id_b), bad(3, "CSV_INVALID")}},
    {"unterminated quote spanning lines",
     row(id_a) + "\n" + csv_row({id_b, "张三", "\"清华"}) + "\n大学\n",
     {ok(1, id_a), bad(2, "CSV_INVALID")}},
    {"unterminated quote over 4 KiB refuses the file",
     row(id_a) + "\n" + csv_row({id_b, "张三", "\"清华"}) + "\n"
       + std::string(4200, 'x'),
     {whole("CSV_INVALID")}},
  };
}

std::vector<csv_case> id_cases() {
  return {
    {"full-width digits", row(full_width(id_a)), {ok(1, id_a)}},
    {"spaced ID",
     row(id_a.substr(0, 6) + " " + id_a.substr(6, 8) + " " + id_a.substr(14)),
     {ok(1, id_a)}},
    {"15-digit ID is upgraded", row(legacy15), {ok(1, upgraded18)}},
    {"passport",
     "passport,e1234567,JOHN SMITH,清华大学,计算机2101班,2021",
     {"1 ok passport:E1234567 JOHN SMITH|清华大学|计算机2101班|2021"}},
    {"same ID twice",
     row(id_a) + "\n" + row(id_b) + "\n" + row(id_a),
     {ok(1, id_a), ok(2, id_b), bad(3, "CSV_DUPLICATE_ROW", "id_number")}},
    {"same ID in 15 and 18 digits",
     row(legacy15) + "\n" + row(upgraded18) + "\n" + row(full_width(legacy15)),
     {ok(1, upgraded18), bad(2, "CSV_DUPLICATE_ROW", "id_number"),
      bad(3, "CSV_DUPLICATE_ROW", "id_number")}},
    {"a rejected row still owns its ID",
     csv_row({id_a, "张"}) + "\n" + row(id_a),
     {bad(1, "NAME_INVALID", "name"),
      bad(2, "CSV_DUPLICATE_ROW", "id_number")}},
    {"same number, other type",
     row("12345678") + "\n"
       + csv_row({"12345678", "张三", "清华大学", "计算机2101班", "2021",
                  "taiwan_permit"}),
     {bad(1, "ID_INVALID", "id_number"),
      "2 ok taiwan_permit:12345678 张三|清华大学|计算机2101班|2021"}},
  };
}

std::vector<csv_case> rejection_cases() {
  auto wrong_check = id_a.substr(0, 17) + (id_a[17] == '0' ? '1' : '0');
  return {
    {"too few columns",
     row(id_a).substr(0, row(id_a).rfind(',')),
     {bad(1, "CSV_COLUMNS")}},
    {"too many columns", row(id_a) + ",extra", {bad(1, "CSV_COLUMNS")}},
    {"one column", "hello\n" + row(id_a), {bad(1, "CSV_COLUMNS"), ok(2, id_a)}},
    {"unknown id_type",
     csv_row({id_a, "张三", "清华大学", "计算机2101班", "2021", "Resident"}),
     {bad(1, "ID_TYPE_INVALID", "id_type")}},
    {"empty id_type",
     csv_row({id_a, "张三", "清华大学", "计算机2101班", "2021", ""}),
     {bad(1, "ID_TYPE_INVALID", "id_type")}},
    {"wrong check character",
     row(wrong_check),
     {bad(1, "ID_INVALID", "id_number")}},
    {"empty ID", row(""), {bad(1, "ID_INVALID", "id_number")}},
    {"bad name", csv_row({id_a, "张三1"}), {bad(1, "NAME_INVALID", "name")}},
    {"school with a control character",
     csv_row({id_a, "张三", "清华\x01大学"}),
     {bad(1, "SCHOOL_INVALID", "school")}},
    {"school of 101 characters",
     csv_row({id_a, "张三", std::string(101, 's')}),
     {bad(1, "SCHOOL_INVALID", "school")}},
    {"empty class",
     csv_row({id_a, "张三", "清华大学", ""}),
     {bad(1, "CLASS_INVALID", "class")}},
    {"full-width class is normalised",
     csv_row({id_a, "张三", "清华大学", "计算机" + full_width("2101") + "班"}),
     {ok(1, id_a)}},
    {"year 1949",
     csv_row({id_a, "张三", "清华大学", "计算机2101班", "1949"}),
     {bad(1, "ENROLMENT_YEAR_INVALID", "enrolment_year")}},
    {"year 1950",
     csv_row({id_a, "张三", "清华大学", "计算机2101班", "1950"}),
     {ok(1, id_a, "张三", "清华大学", "计算机2101班", 1950)}},
    {"year today + 1",
     csv_row({id_a, "张三", "清华大学", "计算机2101班", "2027"}),
     {ok(1, id_a, "张三", "清华大学", "计算机2101班", 2027)}},
    {"year today + 2",
     csv_row({id_a, "张三", "清华大学", "计算机2101班", "2028"}),
     {bad(1, "ENROLMENT_YEAR_INVALID", "enrolment_year")}},
    {"year of 2 digits",
     csv_row({id_a, "张三", "清华大学", "计算机2101班", "21"}),
     {bad(1, "ENROLMENT_YEAR_INVALID", "enrolment_year")}},
    {"year in full-width digits",
     csv_row({id_a, "张三", "清华大学", "计算机2101班", full_width("2021")}),
     {bad(1, "ENROLMENT_YEAR_INVALID", "enrolment_year")}},
    {"year with a sign",
     csv_row({id_a, "张三", "清华大学", "计算机2101班", "+202"}),
     {bad(1, "ENROLMENT_YEAR_INVALID", "enrolment_year")}},
    {"first failing column wins",
     csv_row({wrong_check, "张", "", "", "1900"}),
     {bad(1, "ID_INVALID", "id_number")}},
    {"good rows after bad rows are kept",
     header + "\n" + row(wrong_check) + "\n" + row(id_a) + "\nx\n\n"
       + csv_row({id_b, "张三", "清华大学", "计算机2101班", "1900"}) + "\n"
       + row(id_b) + "\n" + row(id_c),
     {bad(2, "ID_INVALID", "id_number"), ok(3, id_a), bad(4, "CSV_COLUMNS"),
      bad(6, "ENROLMENT_YEAR_INVALID", "enrolment_year"),
      bad(7, "CSV_DUPLICATE_ROW", "id_number"), ok(8, id_c)}},
    {"row of exactly 4 KiB",
     row_of_size(4096) + "\n" + row(id_b),
     {ok(1, id_a), ok(2, id_b)}},
    {"row over 4 KiB refuses the file",
     row(id_b) + "\n" + row_of_size(4097) + "\n" + row(id_c),
     {whole("CSV_INVALID")}},
    {"endless line refuses the file",
     std::string(1 << 20, 'x'),
     {whole("CSV_INVALID")}},
  };
}

void run(const std::vector<csv_case>& cases) {
  for (auto& c : cases) {
    auto actual = outcome(parse_student_records_csv(c.csv, today));
    CAF_CHECK_EQUAL(c.label + ":\n" + actual,
                    c.label + ":\n" + lines(c.expected));
  }
}

} // namespace

// -- table-driven cases -------------------------------------------------------

CAF_TEST(header bom line breaks and blank lines) {
  auto cases = layout_cases();
  CAF_MESSAGE(cases.size() << " layout cases");
  run(cases);
}

CAF_TEST(quoted fields and malformed quoting) {
  auto cases = quoting_cases();
  CAF_MESSAGE(cases.size() << " quoting cases");
  run(cases);
}

CAF_TEST(id numbers and duplicates) {
  auto cases = id_cases();
  CAF_MESSAGE(cases.size() << " ID cases");
  run(cases);
}

CAF_TEST(each rejection kind with its line and field) {
  auto cases = rejection_cases();
  CAF_MESSAGE(cases.size() << " rejection cases");
  run(cases);
}

// -- details the table does not show ------------------------------------------

CAF_TEST(records hold canonical values) {
  auto csv = csv_row({" " + full_width(legacy15), "张 三", "\u3000清华大学 ",
                      "计算机  ２１０１班", "2021", "resident"});
  auto result = parse_student_records_csv(csv, today);
  CAF_REQUIRE(std::holds_alternative<parsed_records>(result));
  auto& rows = std::get<parsed_records>(result).rows;
  CAF_REQUIRE_EQUAL(rows.size(), 1u);
  auto& rec = rows[0].record;
  CAF_CHECK(rec.id.type == id_type::resident);
  CAF_CHECK_EQUAL(rec.id.number, upgraded18);
  CAF_CHECK_EQUAL(rec.name, "张三");
  CAF_CHECK_EQUAL(rec.school, "清华大学");
  CAF_CHECK_EQUAL(rec.class_name, "计算机 2101班");
  CAF_CHECK_EQUAL(rec.enrolment_year, 2021);
}

CAF_TEST(rejections say why without echoing the id or name) {
  auto secret_name = "欧阳娜娜";
  auto wrong_check = id_a.substr(0, 17) + (id_a[17] == '0' ? '1' : '0');
  std::string csv;
  for (auto& line :
       {csv_row({id_a, secret_name, "清华大学", "", "2021"}),
        csv_row({id_a, secret_name}), csv_row({wrong_check, secret_name}),
        csv_row({id_b, "欧阳娜娜1"}), csv_row({id_c, secret_name, "\x01"}),
        csv_row({nth_id(5), secret_name, "清华大学", "计算机2101班", "1900"}),
        csv_row({nth_id(6), secret_name, "清华大学", "计算机2101班", "2021",
                 "bogus"}),
        id_a + "," + secret_name, csv_row({nth_id(7), secret_name, "\"a\"b"})})
    csv += line + "\n";
  auto result = parse_student_records_csv(csv, today);
  CAF_REQUIRE(std::holds_alternative<parsed_records>(result));
  auto& parsed = std::get<parsed_records>(result);
  CAF_CHECK(parsed.rows.empty());
  CAF_REQUIRE_EQUAL(parsed.rejected.size(), 9u);
  for (auto& r : parsed.rejected) {
    auto text = std::string{r.why.text()};
    CAF_CHECK(!r.why.message.empty());
    // Line numbers and years are short; any part of an ID is longer.
    CAF_CHECK(!has_digit_run(text, 5));
    CAF_CHECK_EQUAL(text.find("欧阳"), std::string::npos);
  }
  // The duplicate names the line of the first occurrence.
  CAF_CHECK_NOT_EQUAL(parsed.rejected[1].why.message.find("第 1 行"),
                      std::string::npos);
  // Malformed quoting says reading stopped.
  CAF_CHECK_NOT_EQUAL(parsed.rejected.back().why.message.find("之后"),
                      std::string::npos);
}

CAF_TEST(whole file problems name the line) {
  auto result = parse_student_records_csv(
    row(id_a) + "\n\n" + row_of_size(5000) + "\n", today);
  CAF_REQUIRE(std::holds_alternative<problem>(result));
  auto& p = std::get<problem>(result);
  CAF_CHECK(p.code == errc::csv_invalid);
  CAF_CHECK_EQUAL(p.field, "");
  CAF_CHECK_NOT_EQUAL(p.message.find("第 3 行"), std::string::npos);
}

CAF_TEST(the row limit counts data rows only) {
  // Cheap one-column rows: each is a quick rejection, which still counts.
  std::string at_limit = header + "\n\n";
  for (std::size_t i = 0; i < max_record_rows; ++i)
    at_limit += "x\n";
  auto result = parse_student_records_csv(at_limit, today);
  CAF_REQUIRE(std::holds_alternative<parsed_records>(result));
  auto& parsed = std::get<parsed_records>(result);
  CAF_CHECK_EQUAL(parsed.rejected.size(), max_record_rows);
  CAF_CHECK_EQUAL(parsed.rejected.back().line, max_record_rows + 2);
  auto over = parse_student_records_csv(at_limit + "x\n", today);
  CAF_CHECK_EQUAL(outcome(over), lines({whole("CSV_INVALID")}));
}

CAF_TEST(parsing is deterministic so a re - import changes nothing) {
  auto csv = header + "\n" + row(id_a) + "\n" + row(legacy15) + "\nx\n";
  auto first = outcome(parse_student_records_csv(csv, today));
  CAF_CHECK_EQUAL(outcome(parse_student_records_csv(csv, today)), first);
}

CAF_TEST(classmates share school class and year) {
  auto parse = [](const row_spec& spec) {
    auto result = parse_student_records_csv(csv_row(spec), today);
    CAF_REQUIRE(std::holds_alternative<parsed_records>(result));
    auto& rows = std::get<parsed_records>(result).rows;
    CAF_REQUIRE_EQUAL(rows.size(), 1u);
    return rows[0].record;
  };
  auto a = parse({id_a, "张三", "清华大学", "计算机2101班", "2021"});
  auto b = parse(
    {id_b, "李四", " 清华大学", "计算机" + full_width("2101") + "班", "2021"});
  auto other_school = parse({id_c, "王五", "北京大学", "计算机2101班", "2021"});
  auto other_class = parse({id_c, "王五", "清华大学", "计算机2102班", "2021"});
  auto other_year = parse({id_c, "王五", "清华大学", "计算机2101班", "2022"});
  CAF_CHECK(same_class(a, a));
  CAF_CHECK(same_class(a, b));
  CAF_CHECK(same_class(b, a));
  CAF_CHECK(!same_class(a, other_school));
  CAF_CHECK(!same_class(a, other_class));
  CAF_CHECK(!same_class(a, other_year));
}

CAF_TEST(ten thousand rows parse in one linear pass) {
  constexpr unsigned count = 10000;
  std::string csv = "\xEF\xBB\xBF" + header + "\r\n";
  for (unsigned i = 0; i < count; ++i)
    csv += csv_row({nth_id(i), "张三", "\"清华大学,深圳\"",
                    "计算机" + std::to_string(2100 + i % 50) + "班", "2021"})
           + "\r\n";
  csv += row(nth_id(17)) + "\r\n"; // one duplicate at the end
  auto start = std::chrono::steady_clock::now();
  auto result = parse_student_records_csv(csv, today);
  auto took = std::chrono::steady_clock::now() - start;
  CAF_MESSAGE(
    count << " rows in "
          << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
          << " ms");
  CAF_REQUIRE(std::holds_alternative<parsed_records>(result));
  auto& parsed = std::get<parsed_records>(result);
  CAF_REQUIRE_EQUAL(parsed.rows.size(), static_cast<std::size_t>(count));
  CAF_CHECK_EQUAL(parsed.rows.front().line, 2u);
  CAF_CHECK_EQUAL(parsed.rows.back().line, static_cast<std::size_t>(count + 1));
  CAF_CHECK_EQUAL(parsed.rows.back().record.school, "清华大学,深圳");
  CAF_REQUIRE_EQUAL(parsed.rejected.size(), 1u);
  CAF_CHECK_EQUAL(render(parsed.rejected[0]),
                  bad(count + 2, "CSV_DUPLICATE_ROW", "id_number"));
}
