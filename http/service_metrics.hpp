#pragma once

#include "http/api_context.hpp"

namespace idclaim::http {

/// Registers in `ctx->metrics` the figures read at scrape time (live actors
/// and their queued messages by kind, WebSocket connections, the storage
/// and password-hash queues and their refusals) and the storage latency
/// histogram, which it stores in `ctx->storage_latency`. The callbacks
/// hold `ctx` weakly, so the registry does not keep the context alive.
/// Call once, before the service starts.
/// @throws std::invalid_argument when called twice on one registry.
void watch_service(const api_context_ptr& ctx);

} // namespace idclaim::http
