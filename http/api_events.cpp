// GET /api/v1/events: the WebSocket of live inbox and status events.

#include "http/api_routes.hpp"

#include "http/websocket_session.hpp"

namespace idclaim::http {

namespace bh = boost::beast::http;

void add_event_routes(router& r, const api_context_ptr& ctx) {
  websocket_limits limits;
  limits.idle_timeout = std::chrono::seconds{ctx->settings.ws_idle_seconds};
  limits.max_queued_frames = ctx->settings.ws_max_queued;
  limits.send_buffer_bytes = ctx->settings.ws_send_buffer_bytes;
  route_options ws;
  ws.websocket = true;
  ws.on_upgrade = events_upgrade(ctx, limits);
  r.add(
    bh::verb::get, "/api/v1/events",
    [](request_ptr, reply_fn reply) {
      reply(error_response(make_problem(errc::upgrade_required)));
    },
    ws);
}

} // namespace idclaim::http
