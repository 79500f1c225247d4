#include "app/service.hpp"

#include <filesystem>
#include <stdexcept>

#include <boost/asio/ip/tcp.hpp>
#include <caf/scoped_actor.hpp>
#include <spdlog/spdlog.h>

#include "actors/account_registry.hpp"
#include "actors/claim_registry.hpp"
#include "actors/sms_gateway.hpp"
#include "crypto/key_set.hpp"
#include "crypto/password_hash.hpp"
#include "http/api_routes.hpp"
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

} // namespace

std::shared_ptr<storage::database> open_database(const config::settings& s) {
  if (!s.database.empty())
    throw std::runtime_error("the PostgreSQL backend is not built yet; leave "
                             "--database empty to use the embedded SQLite");
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
  if (s.test_clock) {
    ctx_->test_clock = std::make_shared<adjustable_clock>();
    ctx_->time = ctx_->test_clock;
    spdlog::warn("test clock enabled: POST /api/v1/test/clock moves time");
  } else {
    ctx_->time = std::make_shared<system_clock_source>();
  }
  ctx_->cipher = std::make_shared<crypto::field_cipher>(keys);
  ctx_->index = std::make_shared<crypto::blind_index>(keys);
  ctx_->db = actors::spawn_db_actor(*system_, db_, s.db_batch_limit);
  make_data_dir(s.data_dir); // the SMS outbox lives there on any backend
  ctx_->sms = actors::spawn_sms_actor(
    *system_, actors::make_outbox_gateway(s.data_dir + "/sms-outbox.jsonl"));
  ctx_->cpu = std::make_shared<actors::cpu_pool>(
    *system_, s.hash_threads, *cost, s.hash_queue_limit);
  ctx_->bridge = std::make_shared<actors::bridge>(*system_, 2);
  actors::claim_context claim_ctx{
    ctx_->db,         ctx_->time,  std::chrono::seconds{s.claim_idle_seconds},
    std::chrono::milliseconds{s.request_timeout_ms}, ctx_->cipher, ctx_->sms,
    db_->single_writer()};
  ctx_->claims = actors::spawn_claim_registry(*system_, claim_ctx);
  actors::account_context account_ctx{
    ctx_->db,
    ctx_->time,
    ctx_->cipher,
    std::chrono::seconds{s.claim_idle_seconds},
    std::chrono::milliseconds{s.request_timeout_ms},
    std::chrono::milliseconds{static_cast<int64_t>(s.assist_ttl_hours)
                              * 3600 * 1000},
    ctx_->sms};
  ctx_->accounts = actors::spawn_account_registry(*system_, account_ctx);
  caf::anon_send(ctx_->db, sink_atom_v,
                 caf::actor_cast<caf::actor>(ctx_->accounts));

  http::server_limits limits;
  limits.max_connections = s.max_connections;
  server_ = std::make_unique<http::server>(ioc_, parse_listen(s.listen),
                                           http::build_router(ctx_), limits);
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
  ctx_->ready = false;
  server_->stop();
  for (auto& t : io_threads_)
    t.join();
  io_threads_.clear();
  ctx_->bridge->stop();
  ctx_->cpu->stop();
  caf::anon_send_exit(ctx_->claims, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(ctx_->accounts, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(ctx_->sms, caf::exit_reason::user_shutdown);
  // The storage actor finishes the jobs in its mailbox before it exits.
  caf::anon_send_exit(ctx_->db, caf::exit_reason::user_shutdown);
  system_->await_all_actors_done();
}

} // namespace idclaim::app
