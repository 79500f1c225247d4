#include "bench/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace idclaim::bench {

namespace {

std::string fmt(const char* f, double x) {
  char text[64];
  std::snprintf(text, sizeof text, f, x);
  return text;
}

std::string ms_text(double ms, std::uint64_t count) {
  if (count == 0)
    return "-";
  return ms < 10     ? fmt("%.2f", ms)
         : ms < 1000 ? fmt("%.1f", ms)
                     : fmt("%.0f", ms);
}

std::string pad(std::string s, std::size_t width, bool right = false) {
  // Width in characters; our cells are ASCII.
  if (s.size() >= width)
    return s;
  return right ? std::string(width - s.size(), ' ') + s
               : s + std::string(width - s.size(), ' ');
}

std::uint64_t non_ok(const run_record& r) {
  std::uint64_t n = 0;
  for (auto& [status, count] : r.statuses)
    if (status < 200 || status >= 300)
      n += count;
  return n;
}

std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '&':
      out += "&amp;";
      break;
    case '"':
      out += "&quot;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

} // namespace

nlohmann::json to_json(const report& r, const std::vector<target_check>& t) {
  nlohmann::json runs = nlohmann::json::array();
  for (auto& run : r.runs)
    runs.push_back(to_json(run));
  nlohmann::json scenarios = nlohmann::json::array();
  for (auto& s : r.scenarios)
    scenarios.push_back(to_json(s));
  nlohmann::json targets = nlohmann::json::array();
  for (auto& x : t)
    targets.push_back(to_json(x));
  nlohmann::json values = nlohmann::json::object();
  for (auto& [k, v] : r.values)
    values[k] = std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v);
  return {{"mode", r.mode},
          {"started_at", r.started_at},
          {"seconds", r.seconds},
          {"machine",
           {{"cores", r.machine.cores},
            {"cpu_model", r.machine.cpu_model},
            {"ram_bytes", r.machine.ram_bytes},
            {"kernel", r.machine.kernel}}},
          {"load_before", r.load_before},
          {"load_after", r.load_after},
          {"options", r.options},
          {"runs", runs},
          {"scenarios", scenarios},
          {"values", values},
          {"targets", targets}};
}

std::string render_text(const report& r, const std::vector<target_check>& t) {
  std::ostringstream out;
  out << "\nidclaim-bench " << r.mode << " run, " << r.started_at << ", "
      << fmt("%.0f", r.seconds) << " s\nmachine: " << r.machine.cores
      << " cores, " << r.machine.cpu_model << ", "
      << fmt("%.1f", static_cast<double>(r.machine.ram_bytes) / (1 << 30))
      << " GiB RAM, kernel " << r.machine.kernel << "\nbusy: " << r.load_before
      << " at the start, " << r.load_after << " at the end\n\n";
  out << pad("scen", 9) << pad("run", 34) << pad("mode", 7)
      << pad("conn", 6, true) << pad("offer/s", 9, true) << pad("ok/s", 9, true)
      << pad("p50ms", 8, true) << pad("p99ms", 8, true) << pad("p99.9", 8, true)
      << pad("maxms", 8, true) << pad("non2xx", 8, true) << pad("err", 6, true)
      << pad("srv%", 6, true) << pad("cli%", 6, true) << pad("srv-us", 8, true)
      << pad("cli-us", 8, true) << "\n";
  for (auto& run : r.runs) {
    auto& l = run.ok_latency;
    out << pad(run.scenario, 9) << pad(run.label.substr(0, 33), 34)
        << pad(run.mode, 7) << pad(std::to_string(run.connections), 6, true)
        << pad(run.offered_rate > 0 ? fmt("%.0f", run.offered_rate) : "-", 9,
               true)
        << pad(fmt("%.0f", run.ok_per_s), 9, true)
        << pad(ms_text(l.p50_ms, l.count), 8, true)
        << pad(ms_text(l.p99_ms, l.count), 8, true)
        << pad(ms_text(l.p999_ms, l.count), 8, true)
        << pad(ms_text(l.max_ms, l.count), 8, true)
        << pad(std::to_string(non_ok(run)), 8, true)
        << pad(std::to_string(run.transport_errors + run.timeouts
                              + run.unfinished),
               6, true)
        << pad(run.server_cpu_pct >= 0 ? fmt("%.0f", run.server_cpu_pct) : "-",
               6, true)
        << pad(run.client_cpu_pct >= 0 ? fmt("%.0f", run.client_cpu_pct) : "-",
               6, true)
        << pad(run.server_us_per_ok >= 0 ? fmt("%.0f", run.server_us_per_ok)
                                         : "-",
               8, true)
        << pad(run.client_us_per_ok >= 0 ? fmt("%.0f", run.client_us_per_ok)
                                         : "-",
               8, true)
        << "\n";
  }
  out << "\n(latency columns are of 2xx answers; open loop measures from the "
         "intended send time;\n err = transport errors + timeouts + "
         "unfinished; srv%/cli% = CPU, 100 = one core;\n srv-us/cli-us = "
         "CPU microseconds per 2xx answer in the server / the load "
         "generator)\n\n";
  for (auto& s : r.scenarios) {
    out << s.id << " " << s.title << ": " << s.status << " ("
        << fmt("%.0f", s.seconds) << " s)\n";
    for (auto& n : s.notes)
      out << "    " << n << "\n";
  }
  out << "\ntargets (ratios from this one run):\n";
  for (auto& x : t) {
    out << "  " << pad(x.id, 4) << pad(x.verdict, 6) << pad(x.name, 0)
        << "\n        goal " << x.goal << ", measured "
        << (std::isnan(x.measured) ? std::string{"-"} : fmt("%.3g", x.measured))
        << "  [" << x.detail << "]\n";
  }
  return out.str();
}

std::string render_svg(const report& r) {
  std::vector<const run_record*> runs;
  for (auto& run : r.runs)
    if (run.plot && run.ok_latency.count > 0)
      runs.push_back(&run);
  constexpr double width = 1000;
  constexpr double height = 560;
  constexpr double left = 70;
  constexpr double right = 330; // room for the legend
  constexpr double top = 40;
  constexpr double bottom = 60;
  constexpr double x_max = 5; // log10(1 / (1 - p)): up to 99.999 %
  double lo = 1e9;
  double hi = 0;
  for (auto* run : runs)
    for (auto& [p, ms] : run->ok_latency.curve) {
      lo = std::min(lo, std::max(ms, 0.001));
      hi = std::max(hi, ms);
    }
  if (runs.empty()) {
    lo = 0.01;
    hi = 10;
  }
  double y_lo = std::floor(std::log10(lo));
  double y_hi = std::max(y_lo + 1, std::ceil(std::log10(hi)));
  double plot_w = width - left - right;
  double plot_h = height - top - bottom;
  auto x_of = [&](double percentile) {
    double x = percentile >= 100
                 ? x_max
                 : std::min(x_max, std::log10(100.0 / (100.0 - percentile)));
    return left + plot_w * x / x_max;
  };
  auto y_of = [&](double ms) {
    double y = std::log10(std::max(ms, 0.001));
    return top + plot_h * (1 - (y - y_lo) / (y_hi - y_lo));
  };
  static const char* colours[]
    = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
       "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#000000", "#aec7e8"};
  std::ostringstream s;
  s << R"(<svg xmlns="http://www.w3.org/2000/svg" width=")" << width
    << R"(" height=")" << height << R"(" font-family="sans-serif" )"
    << R"(font-size="12">)"
    << "\n"
    << R"(<rect width="100%" height="100%" fill="white"/>)"
    << "\n"
    << R"(<text x=")" << left << R"(" y="22" font-size="15">)"
    << xml_escape("idclaim-bench latency by percentile (" + r.mode + " run, "
                  + r.started_at + ")")
    << "</text>\n";
  // Grid: decades of milliseconds, and the percentiles 0/90/99/.../max.
  for (double d = y_lo; d <= y_hi + 1e-9; d += 1) {
    double y = y_of(std::pow(10, d));
    s << R"(<line x1=")" << left << R"(" x2=")" << left + plot_w << R"(" y1=")"
      << y << R"(" y2=")" << y << R"(" stroke="#ddd"/>)"
      << R"(<text x=")" << left - 8 << R"(" y=")" << y + 4
      << R"(" text-anchor="end">)" << fmt("%g", std::pow(10, d))
      << " ms</text>\n";
  }
  const std::pair<double, const char*> ticks[]
    = {{0, "0%"},       {90, "90%"},       {99, "99%"},
       {99.9, "99.9%"}, {99.99, "99.99%"}, {100, "max"}};
  for (auto& [p, name] : ticks) {
    double x = x_of(p);
    s << R"(<line x1=")" << x << R"(" x2=")" << x << R"(" y1=")" << top
      << R"(" y2=")" << top + plot_h << R"(" stroke="#ddd"/>)"
      << R"(<text x=")" << x << R"(" y=")" << top + plot_h + 18
      << R"(" text-anchor="middle">)" << name << "</text>\n";
  }
  s << R"(<text x=")" << left + plot_w / 2 << R"(" y=")" << height - 15
    << R"(" text-anchor="middle">percentile (log scale of 1/(1-p))</text>)"
    << "\n"
    << R"(<rect x=")" << left << R"(" y=")" << top << R"(" width=")" << plot_w
    << R"(" height=")" << plot_h << R"(" fill="none" stroke="#444"/>)"
    << "\n";
  for (std::size_t i = 0; i < runs.size(); ++i) {
    auto* run = runs[i];
    auto colour = colours[i % std::size(colours)];
    s << R"(<polyline fill="none" stroke-width="2" stroke=")" << colour
      << R"(" points=")";
    for (auto& [p, ms] : run->ok_latency.curve)
      s << fmt("%.1f", x_of(p)) << "," << fmt("%.1f", y_of(ms)) << " ";
    s << R"("/>)"
      << "\n";
    double ly = top + 14 + 18 * static_cast<double>(i);
    double lx = left + plot_w + 15;
    s << R"(<line x1=")" << lx << R"(" x2=")" << lx + 20 << R"(" y1=")"
      << ly - 4 << R"(" y2=")" << ly - 4 << R"(" stroke-width="2" stroke=")"
      << colour << R"("/>)"
      << R"(<text x=")" << lx + 26 << R"(" y=")" << ly << R"(">)"
      << xml_escape(run->scenario + " " + run->label) << "</text>\n";
  }
  s << "</svg>\n";
  return s.str();
}

} // namespace idclaim::bench
