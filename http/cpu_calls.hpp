#pragma once

#include <functional>
#include <string>

#include "http/api_context.hpp"
#include "http/router.hpp"

namespace idclaim::http {

/// Hashes `password` on the hash pool and calls `done` with the hash. When
/// the pool's queue is full the request ends at once with 503 UNAVAILABLE.
void hash_async(const api_context_ptr& ctx, reply_fn reply,
                std::string password, std::function<void(std::string)> done);

/// Runs CPU-heavy `work` (a photo check) on the CPU pool, then `done` on a
/// bridge actor. 503 UNAVAILABLE at once when the pool's queue is full.
void cpu_async(const api_context_ptr& ctx, reply_fn reply,
               std::function<void()> work, std::function<void()> done);

/// Verifies `password` against `stored` (empty: no such user, which costs
/// the same time) and calls `done` with the verdict.
void verify_async(const api_context_ptr& ctx, reply_fn reply,
                  std::string stored, std::string password,
                  std::function<void(bool)> done);

} // namespace idclaim::http
