#include "app/service.hpp"

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <stdexcept>

#include <boost/asio/ip/tcp.hpp>
#include <caf/scoped_actor.hpp>
#include <spdlog/spdlog.h>

#include "actors/account_registry.hpp"
#include "actors/claim_registry.hpp"
#include "actors/counted_gateway.hpp"
#include "actors/db_pool.hpp"
#include "actors/maintenance_actor.hpp"
#include "actors/sms_gateway.hpp"
#include "actors/worker_priority.hpp"
#include "crypto/key_set.hpp"
#include "crypto/key_source.hpp"
#include "crypto/password_hash.hpp"
#include "http/api_routes.hpp"
#include "http/request_metrics.hpp"
#include "http/service_metrics.hpp"
#include "http/websocket_session.hpp"
#include "storage/pg_database.hpp"
#include "storage/sqlite_database.hpp"

namespace idclaim::app {

namespace fs = std::filesystem;

namespace {

boost::asio::ip::tcp::endpoint parse_listen(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos)
    throw std::runtime_error("--listen must be HOST:PORT, got " + listen);
  auto host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  boost::system::error_code ec;
  auto addr = boost::asio::ip::make_address(host, ec);
  if (ec)
    throw std::runtime_error("--listen host must be an IP address, got "
                             + host);
  int port = 0;
  try {
    port = std::stoi(listen.substr(colon + 1));
  } catch (const std::exception&) {
    port = -1;
  }
  if (port < 0 || port > 65535)
    throw std::runtime_error("--listen port must be 0-65535");
  return {addr, static_cast<unsigned short>(port)};
}

void make_data_dir(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    throw std::runtime_error("cannot create data directory " + dir + ": "
                             + ec.message());
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
}

/// The installed UI next to the running binary: PREFIX/share/idclaim/web
/// for PREFIX/bin/idclaim, whatever prefix it was installed or packaged
/// under (a .deb puts it in /usr, `cmake --install` in /usr/local).
std::string web_dir_beside_binary() {
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec)
    return {};
  return (exe.parent_path().parent_path() / "share" / "idclaim" / "web")
    .string();
}

/// The UI files: --web-dir, else the copy installed beside the binary, else
/// the source tree's web/ (a build run from its checkout; a build directory
/// has no share/ above it), else the configured install path.
std::shared_ptr<const http::static_site> load_site(const std::string& dir) {
  std::vector<std::string> candidates;
  if (!dir.empty())
    candidates.push_back(dir);
  else
    candidates = {web_dir_beside_binary(), IDCLAIM_SOURCE_WEB_DIR,
                  IDCLAIM_INSTALLED_WEB_DIR};
  for (auto& d : candidates) {
    std::error_code ec;
    if (fs::is_directory(d, ec)) {
      auto site = http::static_site::load(d);
      spdlog::info("serving the UI from {} ({} files)", d, site->size());
      return site;
    }
  }
  spdlog::warn("no web directory found; serving the API only");
  return nullptr;
}

} // namespace

std::shared_ptr<storage::database> open_database(const config::settings& s) {
  if (!s.database.empty()) {
    if (!storage::is_postgres_url(s.database))
      throw std::runtime_error("--database must be a postgresql:// URL, or "
                               "empty for the embedded SQLite");
    storage::pg_options options;
    options.url = s.database;
    options.statement_timeout_ms
      = static_cast<int64_t>(s.db_statement_timeout_ms);
    auto db = std::make_shared<storage::pg_database>(std::move(options));
    try {
      db->migrate();
    } catch (const std::exception& e) {
      // The message names the server's complaint, never the URL (which
      // may hold a password).
      throw std::runtime_error(std::string{"cannot open the PostgreSQL "
                                           "database: "}
                               + e.what());
    }
    return db;
  }
  make_data_dir(s.data_dir);
  auto db = std::make_shared<storage::sqlite_database>(s.sqlite_path(),
                                                       s.sqlite_sync);
  db->migrate();
  return db;
}

std::shared_ptr<const crypto::key_set> load_keys(const config::settings& s) {
  auto path = s.effective_key_file();
  if (crypto::key_file_exists(path))
    return std::make_shared<const crypto::key_set>(crypto::load_key_file(path));
  if (!s.embedded())
    throw std::runtime_error("no key file at " + path
                             + "; production mode never creates keys");
  make_data_dir(fs::path(path).parent_path().string());
  auto keys = crypto::create_key_file(path);
  spdlog::warn("created a new key file {} (mode 0600); back it up: without "
               "it the stored personal data cannot be read",
               path);
  return std::make_shared<const crypto::key_set>(std::move(keys));
}

service::service(const config::settings& values) {
  cfg_.values = values;
  auto& s = cfg_.values;
  auto cost = crypto::parse_hash_cost(s.password_hash);
  if (!cost)
    throw std::runtime_error("--password-hash must be fast, interactive or "
                             "moderate");
  auto hash_priority = actors::parse_worker_priority(s.hash_priority);
  if (!hash_priority)
    throw std::runtime_error("--hash-priority must be normal or idle");
  if (*cost == crypto::hash_cost::fast)
    spdlog::warn("PASSWORD HASHING IS SET TO 'fast': for tests and benchmarks "
                 "only, never for real users");
  auto keys = load_keys(s);
  db_ = open_database(s);
  cfg_.set("scheduler.max-threads", 2);
  cfg_.set("logger.file-verbosity", caf::atom("quiet"));
  system_ = std::make_unique<caf::actor_system>(cfg_);

  ctx_ = std::make_shared<http::api_context>();
  ctx_->settings = s;
  ctx_->io = ioc_.get_executor();
  ctx_->login_names = std::make_shared<http::login_failures>(
    s.login_name_table,
    std::max({s.login_lock_after, s.login_slow_after, std::size_t{1}}),
    static_cast<int64_t>(s.login_window_seconds) * 1000);
  if (s.test_clock) {
    ctx_->test_clock = std::make_shared<adjustable_clock>();
    ctx_->time = ctx_->test_clock;
    spdlog::warn("test clock enabled: POST /api/v1/test/clock moves time");
  } else {
    ctx_->time = std::make_shared<system_clock_source>();
  }
  // The keys follow the key file, so `idclaim keys rotate` in another
  // process takes effect here without a restart.
  auto source = std::make_shared<const crypto::key_source>(
    keys, s.effective_key_file());
  ctx_->cipher = std::make_shared<crypto::field_cipher>(source);
  ctx_->index = std::make_shared<crypto::blind_index>(source);
  if (db_->single_writer()) {
    ctx_->db = actors::spawn_db_actor(*system_, db_, s.db_batch_limit);
  } else {
    actors::db_pool_options pool;
    pool.workers = s.db_pool_size;
    ctx_->db = actors::spawn_db_pool(*system_, db_, std::move(pool));
  }
  ctx_->db_gate = actors::queue_gate::make(s.db_queue_limit);
  make_data_dir(s.data_dir); // the SMS outbox lives there on any backend
  auto& sms_total = ctx_->metrics->counter_family(
    "idclaim_sms_total", "SMS handed to the gateway (the outbox), by result.",
    {"result"});
  ctx_->sms = actors::spawn_sms_actor(
    *system_, actors::make_counted_gateway(
                actors::make_outbox_gateway(s.data_dir + "/sms-outbox.jsonl"),
                sms_total.with({"sent"}), sms_total.with({"failed"})));
  // A hash may wait at most half the request deadline (see cpu_pool).
  ctx_->cpu = std::make_shared<actors::cpu_pool>(
    *system_, s.hash_threads, *cost, s.hash_queue_limit,
    std::chrono::milliseconds{s.request_timeout_ms / 2},
    actors::wait_slots::clock_fn{}, *hash_priority);
  ctx_->bridge = std::make_shared<actors::bridge>(*system_, 2);
  actors::claim_context claim_ctx{
    ctx_->db,         ctx_->time,  std::chrono::seconds{s.claim_idle_seconds},
    std::chrono::milliseconds{s.request_timeout_ms}, ctx_->cipher, ctx_->sms,
    db_->single_writer(), ctx_->db_gate, ctx_->claim_stats};
  ctx_->claims = actors::spawn_claim_registry(*system_, claim_ctx);
  actors::account_context account_ctx{
    ctx_->db,
    ctx_->time,
    ctx_->cipher,
    std::chrono::seconds{s.claim_idle_seconds},
    std::chrono::milliseconds{s.request_timeout_ms},
    std::chrono::milliseconds{static_cast<int64_t>(s.assist_ttl_hours) * 3600
                              * 1000},
    ctx_->sms,
    s.ws_per_account,
    ctx_->db_gate,
    ctx_->account_stats,
    ctx_->index};
  ctx_->accounts = actors::spawn_account_registry(*system_, account_ctx);
  caf::anon_send(ctx_->db, sink_atom_v,
                 caf::actor_cast<caf::actor>(ctx_->accounts));
  // Other processes announce their commits with NOTIFY; their accounts'
  // live pages here must update too (and all reload after a lost link).
  if (auto* pg = dynamic_cast<storage::pg_database*>(db_.get()))
    listener_ = actors::spawn_listener_actor(
      *system_, pg->options(), caf::actor_cast<caf::actor>(ctx_->accounts));
  maintenance_ = actors::spawn_maintenance_actor(
    *system_, {ctx_->db, ctx_->time, std::chrono::seconds{60},
               std::chrono::hours{24 * s.photo_retention_days},
               std::chrono::milliseconds{s.request_timeout_ms}});

  ctx_->site = load_site(s.web_dir);

  http::watch_service(ctx_);
  http::server_limits limits;
  limits.max_connections = s.max_connections;
  limits.max_connections_per_ip = s.max_connections_per_ip;
  limits.header_limit = s.max_header_bytes;
  limits.max_body_bytes = s.max_body_bytes;
  limits.header_timeout = std::chrono::milliseconds{s.header_timeout_ms};
  limits.read_timeout = std::chrono::milliseconds{s.body_timeout_ms};
  auto routes = http::build_router(ctx_);
  auto requests
    = std::make_shared<const http::request_metrics>(ctx_->metrics, *routes);
  server_ = std::make_unique<http::server>(ioc_, parse_listen(s.listen),
                                           std::move(routes), limits,
                                           std::move(requests));
}

service::~service() {
  stop();
}

void service::start() {
  server_->start();
  auto n = std::max<std::size_t>(1, cfg_.values.io_threads);
  for (std::size_t i = 0; i < n; ++i)
    io_threads_.emplace_back([this] { ioc_.run(); });
  ctx_->ready = true;
  spdlog::info("idclaim serving on {}:{} (data dir {})",
               cfg_.values.listen.substr(0, cfg_.values.listen.rfind(':')),
               server_->port(), cfg_.values.data_dir);
}

unsigned short service::port() const {
  return server_->port();
}

void service::stop() {
  if (stopped_)
    return;
  stopped_ = true;
  // Readiness turns false first, so a load balancer stops sending here.
  ctx_->ready = false;
  // Live-event sockets get a close frame ("going away"); HTTP stops
  // accepting, closes idle connections and finishes what is in flight.
  for (auto& weak : ctx_->sockets->snapshot())
    if (auto ws = weak.lock())
      ws->close(boost::beast::websocket::close_code::going_away,
                "server stopping");
  server_->stop();
  join_io_threads(std::chrono::milliseconds{cfg_.values.shutdown_deadline_ms});
  ctx_->bridge->stop();
  ctx_->cpu->stop();
  caf::anon_send_exit(ctx_->claims, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(ctx_->accounts, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(maintenance_, caf::exit_reason::user_shutdown);
  if (listener_)
    caf::anon_send_exit(listener_, caf::exit_reason::user_shutdown);
  // Both queue behind what they were sent already: the SMS go out and the
  // storage actor commits its last jobs before they quit.
  caf::anon_send(ctx_->sms, stop_atom_v);
  caf::anon_send(ctx_->db, stop_atom_v);
  system_->await_all_actors_done();
}

void service::join_io_threads(std::chrono::milliseconds deadline) {
  std::mutex m;
  std::condition_variable cv;
  bool joined = false;
  // Past the deadline, requests still in flight are abandoned.
  std::thread watchdog{[&] {
    std::unique_lock<std::mutex> lock{m};
    if (!cv.wait_for(lock, deadline, [&] { return joined; })) {
      spdlog::warn("shutdown deadline passed; dropping open connections");
      ioc_.stop();
    }
  }};
  for (auto& t : io_threads_)
    t.join();
  io_threads_.clear();
  {
    std::lock_guard<std::mutex> lock{m};
    joined = true;
  }
  cv.notify_one();
  watchdog.join();
}

} // namespace idclaim::app
