#pragma once

#include <chrono>
#include <functional>

#include "http/api_context.hpp"

namespace idclaim::http {

/// Runs `then` once `delay` has passed (at once when it is not positive), on
/// an Asio timer of `ctx.io`: no thread sleeps while an answer waits. Used to
/// slow down login attempts and to give a step a fixed minimum duration.
void after(const api_context& ctx, std::chrono::milliseconds delay,
           std::function<void()> then);

} // namespace idclaim::http
