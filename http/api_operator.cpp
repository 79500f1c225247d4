// GET /healthz, GET /readyz and, with --test-clock, POST /api/v1/test/clock.

#include "http/api_routes.hpp"

#include "domain/shanghai_time.hpp"
#include "http/actor_calls.hpp"
#include "http/field_reader.hpp"
#include "http/json_body.hpp"

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
    [reply](bool) { reply(json_response(200, {{"status", "ready"}})); });
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
  if (ctx->test_clock)
    r.add(bh::verb::post, "/api/v1/test/clock",
          [ctx](request_ptr req, reply_fn reply) {
            set_test_clock(ctx, req, reply);
          });
}

} // namespace idclaim::http
