// idclaim-bench: idclaim's own load generator. Starts the server, runs the
// scenarios of docs/benchmarks.md, prints progress every second and ends
// with a table, bench/results/<time>.json and an SVG latency plot.

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>

#include <sodium.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>
#include <unistd.h>

#include "bench/context.hpp"
#include "bench/options.hpp"
#include "bench/report.hpp"
#include "bench/scenarios.hpp"

namespace {

using namespace idclaim::bench;
namespace fs = std::filesystem;

/// 10,000 idle WebSockets and their server ends need descriptors; the
/// servers we start inherit the raised limit.
void raise_fd_limit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
}

std::string local_time(const char* format) {
  auto now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  char text[64];
  std::strftime(text, sizeof text, format, &tm);
  return text;
}

/// The idclaim binary next to this one (both live in build/).
std::string default_server_binary() {
  std::error_code ec;
  auto self = fs::read_symlink("/proc/self/exe", ec);
  if (ec)
    return "build/idclaim";
  return (self.parent_path() / "idclaim").string();
}

struct scenario_entry {
  const char* id;
  const char* title;
  void (*run)(bench_context&, scenario_outcome&);
};

const scenario_entry scenario_table[] = {
  {"S0", "baselines: /healthz, password hash alone, single-row commit", run_s0},
  {"S1", "registrations on distinct IDs at 1-256 clients (fast hash)", run_s1},
  {"S2", "contention on one ID and on 50 IDs, invariant checked", run_s2},
  {"S3", "interactive hash load while /healthz is probed", run_s3},
  {"overload", "offered load beyond capacity", run_overload},
  {"S4", "notification latency, assist request to WebSocket frame", run_s4},
  {"S5", "memory per idle WebSocket and per idle claim actor", run_s5},
  {"S6", "throughput as accounts grow", run_s6},
};

void run_one(bench_context& ctx, const scenario_entry& e) {
  scenario_outcome out;
  out.id = e.id;
  out.title = e.title;
  std::printf("\n== %s: %s\n", e.id, e.title);
  std::fflush(stdout);
  auto start = std::chrono::steady_clock::now();
  try {
    e.run(ctx, out);
  } catch (const endpoint_missing& ex) {
    out.status = std::string{"skipped: endpoint missing ("} + ex.what() + ")";
  } catch (const scenario_skipped& ex) {
    out.status = std::string{"skipped: "} + ex.what();
  } catch (const std::exception& ex) {
    out.status = std::string{"failed: "} + ex.what();
  }
  out.seconds
    = std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
        .count();
  std::printf("== %s %s (%.0f s)\n", e.id, out.status.c_str(), out.seconds);
  for (auto& n : out.notes)
    std::printf("   %s\n", n.c_str());
  std::fflush(stdout);
  ctx.rep.scenarios.push_back(std::move(out));
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream f(path);
  f << text;
}

} // namespace

int main(int argc, char** argv) {
  std::string error;
  auto opts = parse_options(argc, argv, error);
  if (!error.empty()) {
    std::cerr << "idclaim-bench: " << error << "\n\n" << usage();
    return 2;
  }
  if (opts.help) {
    std::cout << usage();
    return 0;
  }
  if (sodium_init() < 0) {
    std::cerr << "idclaim-bench: libsodium failed to start\n";
    return 1;
  }
  spdlog::set_level(spdlog::level::warn);
  raise_fd_limit();
  if (opts.server_binary.empty())
    opts.server_binary = default_server_binary();
  if (opts.seed == 0)
    opts.seed = static_cast<std::uint32_t>(std::time(nullptr));

  report rep;
  rep.mode = opts.sc.name;
  rep.started_at = local_time("%Y-%m-%dT%H:%M:%S%z");
  rep.machine = describe_machine();
  rep.options = to_json(opts);
  rep.load_before = machine_load();
  auto start = std::chrono::steady_clock::now();
  {
    bench_context ctx{opts, rep};
    std::printf("idclaim-bench %s run on %u cores (%s); server %s\n",
                opts.sc.name.c_str(), rep.machine.cores,
                rep.machine.cpu_model.c_str(),
                ctx.external() ? "external" : opts.server_binary.c_str());
    for (auto& e : scenario_table)
      if (opts.wants(e.id))
        run_one(ctx, e);
  }
  rep.seconds
    = std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
        .count();
  rep.load_after = machine_load();
  auto targets = evaluate_targets(rep.values);
  auto text = render_text(rep, targets);
  std::cout << text;
  std::error_code ec;
  fs::create_directories(opts.out_dir, ec);
  auto stem = fs::path(opts.out_dir) / local_time("%Y%m%d-%H%M%S");
  auto base = stem.string() + "-" + opts.sc.name;
  write_file(base + ".json", to_json(rep, targets).dump(2) + "\n");
  write_file(base + ".svg", render_svg(rep));
  write_file(base + ".txt", text);
  std::cout << "\nwrote " << base << ".json, .svg and .txt\n";
  return 0;
}
