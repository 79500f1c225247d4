#include "http/service_metrics.hpp"

#include <chrono>
#include <cmath>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "http/websocket_session.hpp"

namespace idclaim::http {

namespace {

using weak_context = std::weak_ptr<api_context>;

/// A reader of one figure of the context; NaN once the context is gone.
std::function<double()> reading(weak_context weak,
                                std::function<double(api_context&)> read) {
  return [weak = std::move(weak), read = std::move(read)] {
    auto ctx = weak.lock();
    return ctx ? read(*ctx) : std::nan("");
  };
}

/// Where each actor kind keeps its figures.
using stats_of = std::shared_ptr<actors::actor_stats> api_context::*;

void watch_actors(metrics::registry& reg, const weak_context& weak) {
  auto& live = reg.callback_gauge_family(
    "idclaim_actors_live", "Actors running now, by kind.", {"kind"});
  auto& queued = reg.callback_gauge_family(
    "idclaim_actor_mailbox_messages",
    "Messages sent to the actors of a kind and not yet taken (the sum of "
    "their mailboxes).",
    {"kind"});
  auto& deepest = reg.callback_gauge_family(
    "idclaim_actor_mailbox_max",
    "The deepest mailbox of one actor of a kind, in messages, as of this "
    "scrape (which actor is never said).",
    {"kind"});
  auto& oldest = reg.callback_gauge_family(
    "idclaim_actor_oldest_message_seconds",
    "How long the oldest message still waiting in any actor of a kind has "
    "waited; 0 when none waits.",
    {"kind"});
  auto& started = reg.callback_counter_family(
    "idclaim_actors_started_total", "Actors started, by kind.", {"kind"});
  auto& stopped = reg.callback_counter_family(
    "idclaim_actors_stopped_total", "Actors stopped when idle, by kind.",
    {"kind"});
  auto& failed = reg.callback_counter_family(
    "idclaim_actors_failed_total",
    "Actors that died of an error, by kind; the next message for the same "
    "key starts a fresh one (a restart).",
    {"kind"});
  for (auto [kind, field] :
       {std::pair<const char*, stats_of>{"claim", &api_context::claim_stats},
        std::pair<const char*, stats_of>{"account",
                                         &api_context::account_stats}}) {
    auto f = field;
    live.with({kind}).set(reading(weak, [f](api_context& c) {
      return static_cast<double>((c.*f)->live.load());
    }));
    queued.with({kind}).set(reading(weak, [f](api_context& c) {
      return static_cast<double>((c.*f)->queued());
    }));
    deepest.with({kind}).set(reading(weak, [f](api_context& c) {
      return static_cast<double>((c.*f)->mailbox_max.load());
    }));
    oldest.with({kind}).set(reading(weak, [f](api_context& c) {
      return static_cast<double>((c.*f)->oldest_wait_us.load()) / 1e6;
    }));
    started.with({kind}).set(reading(weak, [f](api_context& c) {
      return static_cast<double>((c.*f)->started.load());
    }));
    stopped.with({kind}).set(reading(weak, [f](api_context& c) {
      return static_cast<double>((c.*f)->stopped.load());
    }));
    failed.with({kind}).set(reading(weak, [f](api_context& c) {
      return static_cast<double>((c.*f)->failed.load());
    }));
  }
}

void watch_queues(metrics::registry& reg, const weak_context& weak) {
  auto& depth = reg.callback_gauge_family(
    "idclaim_queue_depth",
    "Work admitted to a bounded queue and not finished: db (storage jobs) "
    "or cpu (password hashes and photo checks).",
    {"queue"});
  auto& limit = reg.callback_gauge_family(
    "idclaim_queue_limit",
    "The bound of a queue; past it requests get 503 with Retry-After.",
    {"queue"});
  auto& rejected = reg.callback_counter_family(
    "idclaim_queue_rejected_total",
    "Requests refused with 503 because a queue was full.", {"queue"});
  auto& oldest = reg.callback_gauge_family(
    "idclaim_queue_oldest_seconds",
    "How long the oldest work in a queue (waiting or running) has been in; "
    "0 when the queue is empty.",
    {"queue"});
  auto secs = [](std::chrono::steady_clock::duration d) {
    return std::chrono::duration<double>(d).count();
  };
  oldest.with({"db"}).set(reading(weak, [secs](api_context& c) {
    return c.db_gate ? secs(c.db_gate->oldest_wait()) : 0.0;
  }));
  oldest.with({"cpu"}).set(reading(weak, [secs](api_context& c) {
    return c.cpu ? secs(c.cpu->oldest_wait()) : 0.0;
  }));
  depth.with({"db"}).set(reading(weak, [](api_context& c) {
    return c.db_gate ? static_cast<double>(c.db_gate->depth()) : 0.0;
  }));
  limit.with({"db"}).set(reading(weak, [](api_context& c) {
    return c.db_gate ? static_cast<double>(c.db_gate->limit()) : std::nan("");
  }));
  rejected.with({"db"}).set(reading(weak, [](api_context& c) {
    return c.db_gate ? static_cast<double>(c.db_gate->rejected()) : 0.0;
  }));
  depth.with({"cpu"}).set(reading(weak, [](api_context& c) {
    return c.cpu ? static_cast<double>(c.cpu->outstanding()) : 0.0;
  }));
  limit.with({"cpu"}).set(reading(weak, [](api_context& c) {
    return c.cpu ? static_cast<double>(c.cpu->limit()) : std::nan("");
  }));
  rejected.with({"cpu"}).set(reading(weak, [](api_context& c) {
    return c.cpu ? static_cast<double>(c.cpu->rejected()) : 0.0;
  }));
}

} // namespace

void watch_service(const api_context_ptr& ctx) {
  auto& reg = *ctx->metrics;
  weak_context weak = ctx;
  watch_actors(reg, weak);
  watch_queues(reg, weak);
  reg
    .callback_gauge_family("idclaim_websocket_connections",
                           "Live-event WebSocket connections open now.")
    .with({})
    .set(reading(weak, [](api_context& c) {
      return static_cast<double>(c.sockets->size());
    }));
  ctx->review_queue_depth
    = &reg
         .gauge_family("idclaim_review_queue_depth",
                       "Review cases (证件重复-客服审核) waiting for a "
                       "reviewer, read from storage at each scrape.")
         .with({});
  ctx->review_oldest_age
    = &reg
         .double_gauge_family("idclaim_review_oldest_age_seconds",
                              "Age of the oldest waiting review case; 0 when "
                              "none waits.")
         .with({});
  ctx->assist_outcomes = &reg.counter_family(
    "idclaim_assist_requests_total",
    "Assist requests sent to a classmate, by outcome: sent, or the error "
    "code that refused them.",
    {"outcome"});
  ctx->storage_latency
    = &reg
         .histogram_family(
           "idclaim_storage_call_duration_seconds",
           "Round trip of an HTTP handler's storage job: queue, transaction "
           "and commit.")
         .with({});
}

void count_assist(const api_context& ctx, std::string_view outcome) {
  if (ctx.assist_outcomes != nullptr)
    ctx.assist_outcomes->with({outcome}).inc();
}

} // namespace idclaim::http
