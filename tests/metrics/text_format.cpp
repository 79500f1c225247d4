#define CAF_SUITE metrics.text_format
#include <caf/test/unit_test.hpp>

#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "metrics/text_format.hpp"
#include "tests/metrics/text_check.hpp"

using namespace idclaim::metrics;
using idclaim::testing::first_bad_line;

namespace {

std::string help_of(std::string_view text) {
  std::string out;
  append_escaped_help(out, text);
  return out;
}

std::string label_of(std::string_view text) {
  std::string out;
  append_escaped_label_value(out, text);
  return out;
}

} // namespace

CAF_TEST(help text escapes backslash and newline only) {
  CAF_CHECK_EQUAL(help_of("plain"), "plain");
  CAF_CHECK_EQUAL(help_of("a\\b"), "a\\\\b");
  CAF_CHECK_EQUAL(help_of("one\ntwo"), "one\\ntwo");
  CAF_CHECK_EQUAL(help_of("say \"hi\""), "say \"hi\"");
}

CAF_TEST(label values escape backslash quote and newline) {
  CAF_CHECK_EQUAL(label_of("plain"), "plain");
  CAF_CHECK_EQUAL(label_of("a\\b"), "a\\\\b");
  CAF_CHECK_EQUAL(label_of("say \"hi\""), "say \\\"hi\\\"");
  CAF_CHECK_EQUAL(label_of("one\ntwo"), "one\\ntwo");
}

CAF_TEST(doubles use the shortest form that reads back exactly) {
  constexpr auto inf = std::numeric_limits<double>::infinity();
  CAF_CHECK_EQUAL(format_value(0.0), "0");
  CAF_CHECK_EQUAL(format_value(1.0), "1");
  CAF_CHECK_EQUAL(format_value(0.005), "0.005");
  CAF_CHECK_EQUAL(format_value(0.0005), "0.0005");
  CAF_CHECK_EQUAL(format_value(2.5), "2.5");
  CAF_CHECK_EQUAL(format_value(-1.25), "-1.25");
  CAF_CHECK_EQUAL(format_value(0.0001), "0.0001");
  CAF_CHECK_EQUAL(format_value(0.00001), "1e-05");
  CAF_CHECK_EQUAL(format_value(1.5e-7), "1.5e-07");
  CAF_CHECK_EQUAL(format_value(1234567.0), "1234567");
  CAF_CHECK_EQUAL(format_value(1e20), "100000000000000000000");
  CAF_CHECK_EQUAL(format_value(1e21), "1e+21");
  CAF_CHECK_EQUAL(format_value(-2.5e300), "-2.5e+300");
  CAF_CHECK_EQUAL(format_value(-0.0), "-0");
  CAF_CHECK_EQUAL(format_value(inf), "+Inf");
  CAF_CHECK_EQUAL(format_value(-inf), "-Inf");
  CAF_CHECK_EQUAL(format_value(std::numeric_limits<double>::quiet_NaN()),
                  "NaN");
  for (double x : {0.1 + 0.2, 1.0 / 3, 123456789.125, 5e-324, 1.7e308, -1e-300,
                   0.00012345678901234567, 9.999999999999999e20})
    CAF_CHECK(std::strtod(format_value(x).c_str(), nullptr) == x);
}

CAF_TEST(whole numbers are written in decimal) {
  CAF_CHECK_EQUAL(format_value(std::uint64_t{0}), "0");
  CAF_CHECK_EQUAL(format_value(std::numeric_limits<std::uint64_t>::max()),
                  "18446744073709551615");
  CAF_CHECK_EQUAL(format_value(std::int64_t{-42}), "-42");
}

CAF_TEST(a sample line leaves out the braces when it has no labels) {
  std::vector<std::string> none;
  std::string out;
  append_sample(out, "up", {none, none}, "1");
  CAF_CHECK_EQUAL(out, "up 1\n");
  std::vector<std::string> names{"a", "b"};
  std::vector<std::string> values{"x", "q\""};
  out.clear();
  append_sample(out, "m", {names, values}, "2");
  CAF_CHECK_EQUAL(out, "m{a=\"x\",b=\"q\\\"\"} 2\n");
  out.clear();
  std::string le = "+Inf";
  append_sample(out, "m_bucket", {none, none}, "3", &le);
  CAF_CHECK_EQUAL(out, "m_bucket{le=\"+Inf\"} 3\n");
}

CAF_TEST(the line check accepts good text and catches slips) {
  CAF_CHECK_EQUAL(first_bad_line(""), "");
  CAF_CHECK_EQUAL(first_bad_line("# HELP a x\\ny\n# TYPE a gauge\n"
                                 "a 1\na{l=\"v\\\"\"} -2.5e-07\na NaN\n"),
                  "");
  for (auto bad : {
         "# HELP a x\n# TYPE a gauge\na 1",          // no final newline
         "# HELP a x\n# TYPE a gauge\na{l=\"v} 1\n", // open quote
         "# HELP a x\n# TYPE a gauge\na{l=v} 1\n",   // unquoted value
         "# HELP a x\n# TYPE a gauge\na 1.2.3\n",    // bad number
         "# HELP a x\n# TYPE a gauge\na\n",          // no value
         "# HELP a x\n# TYPE a gauge\na{} 1\n",      // empty braces
         "# HELP a x\n# TYPE a gauge\nb 1\n",        // wrong family
         "# HELP a x\n# TYPE b gauge\nb 1\n",        // TYPE without HELP
         "# HELP a x\n# TYPE a summary\na 1\n",      // type we never write
         "# HELP a x\n# TYPE a histogram\na 1\n",    // bare histogram name
         "# HELP a x\\t\n# TYPE a gauge\na 1\n",     // bad HELP escape
       })
    CAF_CHECK_NOT_EQUAL(first_bad_line(bad), "");
}
