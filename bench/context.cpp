#include "bench/context.hpp"

#include <chrono>
#include <cstdio>
#include <thread>

namespace idclaim::bench {

namespace bhttp = boost::beast::http;

bench_context::bench_context(const options& o, report& r)
  : opts(o), sc(o.sc), rep(r), ids(o.seed) {}

bench_context::~bench_context() {
  release_shared();
}

server_options
bench_context::server_defaults(const std::string& hash_cost) const {
  server_options so;
  so.binary = opts.server_binary;
  so.password_hash = hash_cost;
  so.work_dir = opts.work_dir;
  so.keep_data = opts.keep_data;
  so.extra_args = opts.server_args;
  return so;
}

std::unique_ptr<server_handle>
bench_context::start_server(const server_options& so) {
  if (external())
    return server_handle::external(opts.target_host, opts.target_port,
                                   opts.target_pid);
  std::string flags;
  for (auto& a : so.extra_args)
    flags += " " + a;
  std::printf("  starting idclaim serve --password-hash %s%s\n",
              so.password_hash.c_str(), flags.c_str());
  std::fflush(stdout);
  auto srv = server_handle::start(so);
  std::printf("  server pid %d on port %u, data dir %s\n", srv->pid(),
              srv->port(), srv->data_dir().c_str());
  std::fflush(stdout);
  return srv;
}

server_handle& bench_context::shared_fast() {
  if (!shared_)
    shared_ = start_server(server_defaults("fast"));
  return *shared_;
}

void bench_context::release_shared() {
  shared_.reset();
}

load_plan bench_context::plan(const server_handle& srv,
                              const std::string& scenario,
                              const std::string& label) const {
  load_plan p;
  p.scenario = scenario;
  p.label = label;
  p.host = srv.host();
  p.port = srv.port();
  p.server_pid = srv.pid();
  p.threads = opts.threads;
  return p;
}

run_record bench_context::run(const load_plan& p, bool plot) {
  auto r = run_load(p);
  r.plot = plot;
  rep.runs.push_back(r);
  return r;
}

std::optional<double> bench_context::get(const std::string& key) const {
  auto i = rep.values.find(key);
  if (i == rep.values.end())
    return std::nullopt;
  return i->second;
}

void bench_context::require_endpoint(const server_handle& srv,
                                     bhttp::verb method,
                                     const std::string& target,
                                     const std::string& body,
                                     const std::string& content_type) const {
  sync_client c{srv.host(), srv.port()};
  request_spec spec;
  spec.method = method;
  spec.target = target;
  spec.body = body;
  spec.content_type = content_type;
  auto res = c.call(spec);
  if (res.result_int() == 404)
    throw endpoint_missing(std::string{bhttp::to_string(method)} + " " + target
                           + " answered 404");
}

json_answer register_account(sync_client& c, const identity_source& ids,
                             const std::string& role, std::uint64_t n,
                             const std::string& id, bool acknowledge) {
  return c.json(bhttp::verb::post, "/api/v1/accounts",
                registration_body(ids, role, n, id, acknowledge));
}

std::string login(sync_client& c, const std::string& username,
                  const std::string& password) {
  auto r = c.json(bhttp::verb::post, "/api/v1/sessions",
                  {{"username", username}, {"password", password}});
  if (r.status != 200 || !r.body.is_object() || !r.body.contains("token"))
    throw std::runtime_error("login of a bench account answered "
                             + std::to_string(r.status) + " " + r.error_code());
  return r.body["token"].get<std::string>();
}

request_spec distinct_registration(const identity_source& ids,
                                   std::uint64_t n) {
  request_spec s;
  s.method = bhttp::verb::post;
  s.target = "/api/v1/accounts";
  s.body = registration_body(ids, "r", n, ids.resident_id(n), false).dump();
  return s;
}

void pause_for(std::chrono::milliseconds d) {
  std::this_thread::sleep_for(d);
}

std::string bytes_text(double bytes) {
  char text[32];
  if (bytes >= 1 << 30)
    std::snprintf(text, sizeof text, "%.2f GiB", bytes / (1 << 30));
  else if (bytes >= 1 << 20)
    std::snprintf(text, sizeof text, "%.1f MiB", bytes / (1 << 20));
  else if (bytes >= 1 << 10)
    std::snprintf(text, sizeof text, "%.1f KiB", bytes / (1 << 10));
  else
    std::snprintf(text, sizeof text, "%.0f B", bytes);
  return text;
}

} // namespace idclaim::bench
