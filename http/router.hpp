#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/verb.hpp>

#include "domain/errors.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace idclaim::http {

/// Delivers a handler's response. May be called from any thread; only the
/// first call counts, later ones are ignored.
using reply_fn = std::function<void(response)>;

/// Serves one request: it must eventually call the reply_fn exactly once,
/// from any thread. Dropping the reply_fn unanswered closes the connection.
using handler = std::function<void(request_ptr, reply_fn)>;

/// Takes over a connection that asked for a WebSocket upgrade. It receives
/// the stream (on the connection's strand, with no timeout set) and the
/// upgrade request, and performs the handshake itself.
using upgrade_fn =
  std::function<void(boost::beast::tcp_stream&&, request_ptr)>;

/// Per-route settings.
struct route_options {
  /// The largest request body accepted; bigger ones get 413 BODY_TOO_LARGE.
  std::size_t body_limit = 64 * 1024;
  /// Whether the route accepts WebSocket upgrades.
  bool websocket = false;
  /// Receives the stream of an upgrade request when `websocket` is set.
  /// A plain (non-upgrade) request to the route still goes to the handler.
  upgrade_fn on_upgrade;
};

/// One registered route.
struct route_entry {
  boost::beast::http::verb method; ///< the method it answers
  std::string pattern;             ///< e.g. "/api/v1/inbox/{id}"
  handler fn;                      ///< what serves it
  route_options options;           ///< its limits and upgrade hook
};

/// Maps (method, path) to a route. Built once at start-up, then read
/// concurrently (const) by every connection.
class router {
public:
  /// The outcome of a lookup.
  struct match {
    /// The route found, or null when none fits.
    const route_entry* route = nullptr;
    /// The path parameters of `route`, percent-decoded.
    std::map<std::string, std::string> params;
    /// Why nothing fits when `route` is null: `not_found` (no such path) or
    /// `method_not_allowed` (the path exists for other methods).
    idclaim::errc error = idclaim::errc::not_found;
    /// For `method_not_allowed`: the methods the path does answer.
    std::vector<boost::beast::http::verb> allowed;
  };

  /// Registers `fn` for `method` on `pattern`. A pattern starts with '/';
  /// a segment `{name}` matches one non-empty path segment and binds it to
  /// `name`; other segments match literally. Where several patterns match a
  /// path, the one with a literal segment earliest wins, so
  /// `/reviews/mine` beats `/reviews/{id}`.
  /// @throws std::invalid_argument for a malformed or duplicate pattern.
  void add(boost::beast::http::verb method, std::string pattern, handler fn,
           route_options options = {});

  /// Serves GET requests whose path matches no route (the static UI). The
  /// request's route is logged as "*".
  void set_fallback(handler fn, route_options options = {});

  /// Finds the route for `method` on `path` (the target without its query,
  /// still percent-encoded).
  match find(boost::beast::http::verb method, std::string_view path) const;

  /// Lists every (method, pattern) in registration order, e.g. to compare
  /// against the OpenAPI description.
  std::vector<std::pair<boost::beast::http::verb, std::string>>
  routes() const;

private:
  struct segment {
    std::string text; ///< the literal, or the parameter name
    bool param;       ///< whether this is a `{name}` segment
  };

  struct compiled_route {
    route_entry entry;
    std::vector<segment> segments;
  };

  static bool more_specific(const compiled_route& x,
                            const compiled_route& y);

  /// A deque keeps route_entry addresses stable while routes are added.
  std::deque<compiled_route> routes_;
  std::optional<route_entry> fallback_;
};

} // namespace idclaim::http
