#pragma once

#include "bench/context.hpp"
#include "bench/results.hpp"

namespace idclaim::bench {

// Each scenario fills `out` (notes, data) and the context's report (runs,
// named values). They throw endpoint_missing or scenario_skipped to be
// reported as skipped, anything else to be reported as failed.

/// S0: baselines in the same run: /healthz at each concurrency, the
/// password hash alone, single-row and grouped SQLite commits.
void run_s0(bench_context& ctx, scenario_outcome& out);

/// S1: registrations on distinct IDs at 1..256 clients (closed loop), then
/// open loop at 80 % of the best rate for latency.
void run_s1(bench_context& ctx, scenario_outcome& out);

/// S2: registrations contending on one ID and on 50 IDs at 256 clients;
/// afterwards the one-active-holder invariant is checked.
void run_s2(bench_context& ctx, scenario_outcome& out);

/// S3: registrations at the production (interactive) hash cost saturating
/// the hash pool while an open-loop /healthz probe measures p99.
void run_s3(bench_context& ctx, scenario_outcome& out);

/// Overload: offered load beyond capacity; share of 503 with Retry-After,
/// latency of refusals, timeouts and memory.
void run_overload(bench_context& ctx, scenario_outcome& out);

/// S4: notification latency from POST /api/v1/assist-requests to the inbox
/// frame on the classmate's WebSocket, with 1,000 and 10,000 idle sockets.
void run_s4(bench_context& ctx, scenario_outcome& out);

/// S5: server memory per idle WebSocket and per idle claim actor.
void run_s5(bench_context& ctx, scenario_outcome& out);

/// S6: registration throughput as the account table grows.
void run_s6(bench_context& ctx, scenario_outcome& out);

} // namespace idclaim::bench
