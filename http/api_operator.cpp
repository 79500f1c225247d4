// GET /healthz, GET /readyz, GET /metrics, GET /api/v1/admin/actors and,
// with --test-clock, POST /api/v1/test/clock.

#include "http/api_routes.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <utility>

#include <boost/beast/http/field.hpp>
#include <caf/event_based_actor.hpp>
#include <nlohmann/json.hpp>

#include "domain/shanghai_time.hpp"
#include "http/actor_calls.hpp"
#include "http/auth.hpp"
#include "http/field_reader.hpp"
#include "http/json_body.hpp"
#include "metrics/text_format.hpp"

namespace idclaim::http {

namespace bh = boost::beast::http;

namespace {

void readyz(const api_context_ptr& ctx, reply_fn reply) {
  if (!ctx->ready.load())
    return reply(json_response(503, {{"status", "starting_or_stopping"}}));
  // Readiness includes a storage round trip through the storage actor, so
  // it also proves the actors are up.
  with_storage<bool>(
    ctx,
    [reply](response) {
      reply(json_response(503, {{"status", "storage_unavailable"}}));
    },
    [](storage::connection& conn) {
      conn.ping();
      return true;
    },
    [reply](bool) {
      reply(json_response(200, {{"status", "ready"}}));
    });
}

/// The review queue as one storage job reads it.
struct review_queue_figures {
  bool read = false;
  int64_t depth = 0;
  std::optional<int64_t> oldest_ms;
};

/// How long a scrape waits for each of its looks (a registry's at its
/// actors' mailboxes, storage's at the review queue). Why short: a scrape
/// must answer well within Prometheus' scrape timeout even when storage or
/// a registry is swamped, which is when operators need it most; the
/// figures of the previous look then stand.
constexpr auto scrape_look_timeout = std::chrono::milliseconds{1000};

/// Has both registries look at their actors' mailboxes (the deepest one,
/// the longest wait; see live_actors::health), storing the figures in the
/// context's actor_stats, then calls `then` whatever the answers were.
void refresh_actor_health(const api_context_ptr& ctx,
                          std::function<void()> then) {
  ctx->bridge->run([ctx, then = std::move(then)](caf::event_based_actor* self) {
    auto accounts = [ctx, self, then] {
      self->request(ctx->accounts, scrape_look_timeout, health_atom_v)
        .then([then](bool) { then(); }, [then](caf::error&) { then(); });
    };
    self->request(ctx->claims, scrape_look_timeout, health_atom_v)
      .then([accounts](bool) { accounts(); },
            [accounts](caf::error&) { accounts(); });
  });
}

/// A duration in seconds, for JSON and gauges.
double seconds_of(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

/// The registry in text format 0.0.4.
response metrics_text(const api_context& ctx) {
  response res{bh::status::ok, 11};
  res.set(bh::field::content_type, metrics::text_content_type);
  res.set(bh::field::cache_control, "no-store");
  res.body() = ctx.metrics->render();
  return res;
}

/// Refreshes the review-queue gauges from storage, then renders. When
/// storage is slow or full the scrape still answers, with the last figures:
/// an overloaded service is exactly when operators need its metrics.
void review_figures_then_render(const api_context_ptr& ctx, reply_fn reply) {
  auto render = [ctx, reply](response) { reply(metrics_text(*ctx)); };
  with_storage<review_queue_figures>(
    ctx, render,
    [](storage::connection& conn) {
      review_queue_figures f;
      f.depth = conn.reviews().open_count();
      f.oldest_ms = conn.reviews().oldest_open_ms();
      f.read = true;
      return f;
    },
    [ctx, reply](review_queue_figures f) {
      if (f.read && ctx->review_queue_depth != nullptr) {
        ctx->review_queue_depth->set(f.depth);
        auto age_ms = f.oldest_ms ? ctx->time->now_ms() - *f.oldest_ms : 0;
        ctx->review_oldest_age->set(
          static_cast<double>(std::max<int64_t>(0, age_ms)) / 1000.0);
      }
      reply(metrics_text(*ctx));
    },
    scrape_look_timeout);
}

/// Refreshes the actors' mailbox figures and the review-queue gauges, then
/// renders.
void metrics_page(const api_context_ptr& ctx, reply_fn reply) {
  refresh_actor_health(ctx, [ctx, reply = std::move(reply)] {
    review_figures_then_render(ctx, reply);
  });
}

/// One actor kind's figures for the operator.
nlohmann::json actor_kind(const char* kind, const actors::actor_stats& s) {
  return {{"kind", kind},
          {"live", s.live.load()},
          {"started", s.started.load()},
          {"stopped_idle", s.stopped.load()},
          {"failed", s.failed.load()},
          {"mailbox_messages", s.queued()},
          {"mailbox_max", s.mailbox_max.load()},
          {"oldest_message_seconds",
           static_cast<double>(s.oldest_wait_us.load()) / 1e6}};
}

/// One bounded queue's figures for the operator.
nlohmann::json queue_figures(const char* name, std::size_t depth,
                             std::size_t limit, std::uint64_t rejected,
                             std::chrono::steady_clock::duration oldest) {
  return {{"name", name},
          {"depth", depth},
          {"limit", limit},
          {"rejected", rejected},
          {"oldest_seconds", seconds_of(oldest)}};
}

void admin_actors(const api_context_ptr& ctx, request_ptr req, reply_fn reply) {
  authenticate(ctx, req, reply, access::operator_, [ctx, reply](principal) {
    refresh_actor_health(ctx, [ctx, reply] {
      auto queues = nlohmann::json::array();
      if (ctx->db_gate)
        queues.push_back(
          queue_figures("db", ctx->db_gate->depth(), ctx->db_gate->limit(),
                        ctx->db_gate->rejected(), ctx->db_gate->oldest_wait()));
      if (ctx->cpu)
        queues.push_back(queue_figures("cpu", ctx->cpu->outstanding(),
                                       ctx->cpu->limit(), ctx->cpu->rejected(),
                                       ctx->cpu->oldest_wait()));
      reply(
        json_response(200, {{"actors",
                             {actor_kind("claim", *ctx->claim_stats),
                              actor_kind("account", *ctx->account_stats)}},
                            {"queues", queues},
                            {"websocket_connections", ctx->sockets->size()}}));
    });
  });
}

void set_test_clock(const api_context_ptr& ctx, request_ptr req,
                    reply_fn reply) {
  auto body = parse_json_object(*req);
  if (auto p = std::get_if<problem>(&body))
    return reply(error_response(*p));
  auto& json = std::get<nlohmann::json>(body);
  field_reader fields{json};
  if (json.contains("set")) {
    auto when = domain::parse_rfc3339(fields.text("set"));
    if (!fields.ok())
      return reply(error_response(fields.error()));
    if (!when)
      return reply(error_response(make_problem(errc::field_type, "set")));
    ctx->test_clock->set(*when);
  } else if (json.contains("advance_seconds")) {
    auto& v = json["advance_seconds"];
    if (!v.is_number_integer())
      return reply(
        error_response(make_problem(errc::field_type, "advance_seconds")));
    ctx->test_clock->advance(std::chrono::seconds{v.get<int64_t>()});
  } else {
    return reply(error_response(make_problem(errc::field_missing, "set")));
  }
  reply(json_response(
    200, {{"now", domain::format_rfc3339(ctx->test_clock->now())}}));
}

} // namespace

void add_operator_routes(router& r, const api_context_ptr& ctx) {
  r.add(bh::verb::get, "/healthz", [](request_ptr, reply_fn reply) {
    reply(json_response(200, {{"status", "ok"}}));
  });
  r.add(bh::verb::get, "/readyz",
        [ctx](request_ptr, reply_fn reply) { readyz(ctx, reply); });
  r.add(bh::verb::get, "/metrics",
        [ctx](request_ptr, reply_fn reply) { metrics_page(ctx, reply); });
  r.add(bh::verb::get, "/api/v1/admin/actors",
        [ctx](request_ptr req, reply_fn reply) {
          admin_actors(ctx, std::move(req), std::move(reply));
        });
  if (ctx->test_clock)
    r.add(bh::verb::post, "/api/v1/test/clock",
          [ctx](request_ptr req, reply_fn reply) {
            set_test_clock(ctx, req, reply);
          });
}

} // namespace idclaim::http
