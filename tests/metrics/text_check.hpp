#pragma once

#include <cstdlib>
#include <regex>
#include <string>

namespace idclaim::testing {

/// Returns the first line of `text` that is not text format 0.0.4 as a
/// Prometheus scraper reads it, or "" when all lines are. A sample line
/// must be `name{label="value",...} value` (braces optional) with a value
/// Prometheus parses, and belong to the family of the `# TYPE` line before
/// it (a histogram's to `_bucket`, `_sum`, `_count`); each `# TYPE` must
/// follow the `# HELP` of the same name. An unterminated last line is
/// reported as "<no final newline>".
inline std::string first_bad_line(const std::string& text) {
  static const std::string name = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  static const std::string label
    = R"([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")";
  static const std::regex help_re("# HELP (" + name
                                  + R"()(?: (?:[^\\\n]|\\[\\n])*)?)");
  static const std::regex type_re("# TYPE (" + name
                                  + ") (counter|gauge|histogram)");
  static const std::regex sample_re(
    "(" + name + ")(?:\\{" + label + "(?:," + label + ")*\\})? "
    + R"((NaN|[+-]Inf|[-+]?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?))");
  if (!text.empty() && text.back() != '\n')
    return "<no final newline>";
  std::string help_name, family, type;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find('\n', pos);
    auto line = text.substr(pos, end - pos);
    pos = end + 1;
    std::smatch m;
    if (std::regex_match(line, m, help_re)) {
      help_name = m[1];
    } else if (std::regex_match(line, m, type_re)) {
      if (m[1] != help_name)
        return line;
      family = m[1];
      type = m[2];
    } else if (std::regex_match(line, m, sample_re)) {
      std::string sample = m[1];
      bool belongs = sample == family && type != "histogram";
      if (type == "histogram")
        belongs = sample == family + "_bucket" || sample == family + "_sum"
                  || sample == family + "_count";
      if (!belongs)
        return line;
    } else {
      return line;
    }
  }
  return "";
}

} // namespace idclaim::testing
