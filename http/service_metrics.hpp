#pragma once

#include <string_view>

#include "http/api_context.hpp"

namespace idclaim::http {

/// Registers in `ctx->metrics` the figures read at scrape time (live actors
/// and their queued messages by kind, the deepest mailbox and the oldest
/// waiting message by kind, WebSocket connections, the storage and
/// password-hash queues with their oldest work and refusals) and the storage
/// latency
/// histogram, which it stores in `ctx->storage_latency`. The callbacks
/// hold `ctx` weakly, so the registry does not keep the context alive.
/// Call once, before the service starts.
/// @throws std::invalid_argument when called twice on one registry.
void watch_service(const api_context_ptr& ctx);

/// Counts one assist request (证件重复-用户协助) that ended with `outcome`:
/// "sent", or the code of the error table that refused it (a fixed set,
/// never request data). Does nothing before watch_service().
void count_assist(const api_context& ctx, std::string_view outcome);

} // namespace idclaim::http
