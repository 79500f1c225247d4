#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>

#include <boost/asio/any_io_executor.hpp>

#include "actors/account_registry.hpp"
#include "actors/actor_stats.hpp"
#include "actors/bridge_actor.hpp"
#include "actors/claim_registry.hpp"
#include "actors/db_actor.hpp"
#include "actors/sms_actor.hpp"
#include "actors/cpu_pool.hpp"
#include "actors/queue_gate.hpp"
#include "config/settings.hpp"
#include "crypto/blind_index.hpp"
#include "crypto/field_cipher.hpp"
#include "domain/clock.hpp"
#include "http/live_set.hpp"
#include "http/login_failures.hpp"
#include "http/static_site.hpp"
#include "metrics/registry.hpp"

namespace idclaim::http {

class websocket_session;

/// What the API handlers use: the configuration, the crypto objects and the
/// handles of the long-lived actors. Built once by app::service.
struct api_context {
  config::settings settings;
  std::shared_ptr<const clock> time;
  std::shared_ptr<adjustable_clock> test_clock; ///< null unless --test-clock
  std::shared_ptr<const crypto::field_cipher> cipher;
  std::shared_ptr<const crypto::blind_index> index;
  std::shared_ptr<actors::bridge> bridge;
  std::shared_ptr<actors::cpu_pool> cpu;
  actors::claim_registry claims;
  actors::account_registry accounts;
  actors::db_actor db;
  actors::sms_actor sms;
  std::shared_ptr<const static_site> site; ///< the UI; null: none
  /// The I/O threads' executor, for timers that delay an answer (login
  /// throttling, the recovery step's fixed duration) without a thread.
  boost::asio::any_io_executor io;
  /// Failed logins per username, known or not (per process); app::service
  /// makes it, and the login route needs it.
  std::shared_ptr<login_failures> login_names;
  /// Every live WebSocket (API.md "Live events").
  std::shared_ptr<live_set<websocket_session>> sockets
    = std::make_shared<live_set<websocket_session>>();
  std::atomic<bool> ready{false}; ///< false until started, and while stopping
  /// What GET /metrics renders.
  std::shared_ptr<metrics::registry> metrics
    = std::make_shared<metrics::registry>();
  /// Bounds the jobs waiting for storage; null: unbounded.
  std::shared_ptr<actors::queue_gate> db_gate;
  /// Live figures of the claim actors.
  std::shared_ptr<actors::actor_stats> claim_stats
    = std::make_shared<actors::actor_stats>();
  /// Live figures of the account actors.
  std::shared_ptr<actors::actor_stats> account_stats
    = std::make_shared<actors::actor_stats>();
  /// Round trips of HTTP handlers to storage; null until watch_service().
  metrics::histogram* storage_latency = nullptr;
  /// Open review cases, refreshed by each scrape of /metrics; null until
  /// watch_service().
  metrics::gauge* review_queue_depth = nullptr;
  /// The age of the oldest open case in seconds, likewise.
  metrics::double_gauge* review_oldest_age = nullptr;
  /// Assist requests by outcome ("sent" or the error code); null until
  /// watch_service().
  metrics::family<metrics::counter>* assist_outcomes = nullptr;

  /// The deadline for one internal round trip.
  std::chrono::milliseconds timeout() const {
    return std::chrono::milliseconds{settings.request_timeout_ms};
  }
};

using api_context_ptr = std::shared_ptr<api_context>;

} // namespace idclaim::http
