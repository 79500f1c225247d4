#include "metrics/text_format.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace idclaim::metrics {

void append_escaped_help(std::string& out, std::string_view text) {
  for (auto c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
}

void append_escaped_label_value(std::string& out, std::string_view text) {
  for (auto c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
}

std::string format_value(double value) {
  if (std::isnan(value))
    return "NaN";
  if (std::isinf(value))
    return value > 0 ? "+Inf" : "-Inf";
  // to_chars without a precision writes the shortest digits that read back
  // to the same double. Like Go's strconv 'g' (which the Prometheus
  // clients use), it is plain decimal unless the exponent is below -4, so a
  // bucket bound prints as "0.0005" and not "5e-04"; unlike Go it stays
  // plain up to 1e21, so a count-like value never turns into "1e+06".
  char buf[64];
  auto end = buf + sizeof(buf);
  auto sci = std::to_chars(buf, end, value, std::chars_format::scientific);
  auto e = std::find(buf, sci.ptr, 'e');
  int exponent = 0;
  std::from_chars(e + (e[1] == '+' ? 2 : 1), sci.ptr, exponent);
  if (exponent < -4 || exponent >= 21)
    return std::string(buf, sci.ptr);
  auto fixed = std::to_chars(buf, end, value, std::chars_format::fixed);
  return std::string(buf, fixed.ptr);
}

std::string format_value(std::uint64_t value) {
  return std::to_string(value);
}

std::string format_value(std::int64_t value) {
  return std::to_string(value);
}

void append_header(std::string& out, std::string_view name,
                   std::string_view help, metric_type type) {
  out += "# HELP ";
  out += name;
  out += ' ';
  append_escaped_help(out, help);
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += to_string(type);
  out += '\n';
}

namespace {

void append_label(std::string& out, bool& first, std::string_view name,
                  std::string_view value) {
  out += first ? '{' : ',';
  first = false;
  out += name;
  out += "=\"";
  append_escaped_label_value(out, value);
  out += '"';
}

} // namespace

void append_sample(std::string& out, std::string_view name,
                   const label_pairs& labels, std::string_view value,
                   const std::string* le) {
  out += name;
  bool first = true;
  for (std::size_t i = 0; i < labels.names.size(); ++i)
    append_label(out, first, labels.names[i], labels.values[i]);
  if (le != nullptr)
    append_label(out, first, "le", *le);
  if (!first)
    out += '}';
  out += ' ';
  out += value;
  out += '\n';
}

void append_histogram(std::string& out, std::string_view name,
                      const label_pairs& labels,
                      const histogram_snapshot& snap) {
  auto bucket = std::string(name) + "_bucket";
  for (std::size_t i = 0; i < snap.cumulative.size(); ++i) {
    auto le = i < snap.bounds.size() ? format_value(snap.bounds[i])
                                     : std::string("+Inf");
    append_sample(out, bucket, labels, format_value(snap.cumulative[i]), &le);
  }
  append_sample(out, std::string(name) + "_sum", labels,
                format_value(snap.sum));
  append_sample(out, std::string(name) + "_count", labels,
                format_value(snap.count));
}

} // namespace idclaim::metrics
