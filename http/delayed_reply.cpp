#include "http/delayed_reply.hpp"

#include <memory>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

namespace idclaim::http {

void after(const api_context& ctx, std::chrono::milliseconds delay,
           std::function<void()> then) {
  if (delay.count() <= 0 || !ctx.io)
    return then();
  auto timer = std::make_shared<boost::asio::steady_timer>(ctx.io, delay);
  // The timer keeps itself alive through the handler; a cancelled wait (the
  // service stopping) still answers, so no request is dropped silently.
  timer->async_wait([timer, then = std::move(then)](
                      const boost::system::error_code&) { then(); });
}

} // namespace idclaim::http
