#pragma once

#include <optional>
#include <string_view>

namespace idclaim::actors {

/// How the kernel schedules the password-hash threads against the rest of
/// the process (`--hash-priority`).
///
/// `idle` runs them under SCHED_IDLE: they take only CPU time no other
/// thread wants, and a thread of the server that wakes (an Asio thread with
/// a request, a storage thread) preempts them at once instead of waiting
/// for their time slice. On a machine that serves only idclaim the hashes
/// lose almost nothing (the rest of the server needs little CPU); on a
/// machine shared with other busy programs they would starve behind them,
/// which is why `normal` stays available. The server's default is `idle`
/// (docs/benchmarks.md, T4).
enum class worker_priority { normal, idle };

/// Parses "normal" or "idle".
std::optional<worker_priority> parse_worker_priority(std::string_view text);

/// Applies `p` to the calling thread; false (with errno set) when the
/// kernel refused.
bool apply_to_this_thread(worker_priority p);

/// The policy the calling thread runs under now, as the kernel reports it.
worker_priority this_thread_priority();

} // namespace idclaim::actors
