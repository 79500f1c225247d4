#pragma once

// Helpers that let an HTTP handler (running on an Asio thread) talk to the
// actors without blocking: each starts a conversation on a bridge actor and
// continues in a callback there. Errors end the request with the error table.

#include <chrono>
#include <memory>
#include <utility>

#include <caf/event_based_actor.hpp>

#include "actors/messages.hpp"
#include "http/api_context.hpp"
#include "http/response.hpp"
#include "http/router.hpp"
#include "storage/connection.hpp"

namespace idclaim::http {

/// Runs `work` in a storage transaction and calls `done` with its result
/// after the commit. `T` must be default-constructible.
/// When the storage queue is full it answers 503 UNAVAILABLE (with
/// Retry-After) at once, without calling either. `timeout` bounds the wait
/// (zero: the request deadline).
template <class T, class Work, class Done>
void with_storage(const api_context_ptr& ctx, reply_fn reply, Work work,
                  Done done, std::chrono::milliseconds timeout = {}) {
  actors::queue_gate::pass pass;
  if (!actors::try_admit(ctx->db_gate, pass))
    return reply(error_response(make_problem(errc::unavailable)));
  if (timeout.count() == 0)
    timeout = ctx->timeout();
  ctx->bridge->run([ctx, reply, work = std::move(work), done = std::move(done),
                    pass, timeout](caf::event_based_actor* self) {
    auto out = std::make_shared<T>();
    // The job holds the pass, so its place frees once storage is done.
    db_job job{
      [out, work, pass](storage::connection& conn) { *out = work(conn); }};
    auto sent = std::chrono::steady_clock::now();
    auto observe = [ctx, sent] {
      if (ctx->storage_latency != nullptr)
        ctx->storage_latency->observe(std::chrono::steady_clock::now() - sent);
    };
    self->request(ctx->db, timeout, run_atom_v, std::move(job))
      .then(
        [out, done, observe](bool) {
          observe();
          done(std::move(*out));
        },
        [reply, observe](caf::error& err) {
          observe();
          reply(error_response(to_problem(err)));
        });
  });
}

/// Sends `xs...` to `target` and calls `done` with the typed answer.
template <class Result, class Handle, class Done, class... Ts>
void ask(const api_context_ptr& ctx, reply_fn reply, Handle target, Done done,
         Ts... xs) {
  ctx->bridge->run([ctx, reply, target, done = std::move(done),
                    args = std::make_tuple(std::move(xs)...)](
                     caf::event_based_actor* self) mutable {
    auto send = [&](auto&&... ys) {
      return self->request(target, ctx->timeout(),
                           std::forward<decltype(ys)>(ys)...);
    };
    std::apply(send, std::move(args))
      .then(
        [done](Result& r) { done(std::move(r)); },
        [reply](caf::error& err) { reply(error_response(to_problem(err))); });
  });
}

} // namespace idclaim::http
