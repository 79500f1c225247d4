#pragma once

#include <utility>

#include "http/api_context.hpp"
#include "http/router.hpp"

namespace idclaim::http {

/// The route handler that calls `f(ctx, request, reply)`: the shape of the
/// handler functions in the api_*.cpp files, so registering one is a line.
template <class F>
handler with_context(const api_context_ptr& ctx, F f) {
  return [ctx, f](request_ptr req, reply_fn reply) {
    f(ctx, std::move(req), std::move(reply));
  };
}

} // namespace idclaim::http
