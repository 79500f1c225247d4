#include "http/cpu_calls.hpp"

#include <caf/event_based_actor.hpp>

#include "http/response.hpp"

namespace idclaim::http {

namespace {

/// Sends one message to a hash worker, holding a pool slot until it answers.
template <class Result, class... Ts>
void on_pool(const api_context_ptr& ctx, reply_fn reply,
             std::function<void(Result)> done, Ts... xs) {
  auto place = ctx->cpu->try_reserve();
  if (!place)
    return reply(error_response(make_problem(errc::unavailable)));
  auto worker = ctx->cpu->next();
  ctx->bridge->run([ctx, reply, worker, place, done = std::move(done),
                    args = std::make_tuple(std::move(xs)...)](
                     caf::event_based_actor* self) mutable {
    auto send = [&](auto&&... ys) {
      return self->request(worker, ctx->timeout(),
                           std::forward<decltype(ys)>(ys)...);
    };
    std::apply(send, std::move(args))
      .then(
        [ctx, place, done](Result& r) {
          ctx->cpu->release(place);
          done(std::move(r));
        },
        [ctx, place, reply](caf::error& err) {
          ctx->cpu->release(place);
          reply(error_response(to_problem(err)));
        });
  });
}

} // namespace

void hash_async(const api_context_ptr& ctx, reply_fn reply,
                std::string password, std::function<void(std::string)> done) {
  on_pool<std::string>(ctx, std::move(reply), std::move(done), run_atom_v,
                       std::move(password));
}

void cpu_async(const api_context_ptr& ctx, reply_fn reply,
               std::function<void()> work, std::function<void()> done) {
  on_pool<bool>(
    ctx, std::move(reply),
    std::function<void(bool)>{[done = std::move(done)](bool) { done(); }},
    run_atom_v, cpu_task{std::move(work)});
}

void verify_async(const api_context_ptr& ctx, reply_fn reply,
                  std::string stored, std::string password,
                  std::function<void(bool)> done) {
  on_pool<bool>(ctx, std::move(reply), std::move(done), check_atom_v,
                std::move(stored), std::move(password));
}

} // namespace idclaim::http
