#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <nlohmann/json.hpp>

#include "domain/errors.hpp"

namespace idclaim::http {

/// The `Retry-After` (seconds) of every 503 UNAVAILABLE: a full queue
/// drains within about a second at the rates the service is built for.
inline constexpr int retry_after_seconds = 1;

/// Every response idclaim sends is a whole string body.
using response =
  boost::beast::http::response<boost::beast::http::string_body>;

/// Builds a JSON response with `status`, content type
/// `application/json; charset=utf-8` and `Cache-Control: no-store`.
/// Invalid UTF-8 inside `body` strings is replaced, never thrown on.
response json_response(unsigned status, const nlohmann::json& body);

/// Renders `p` as `{"error": {"code", "message", "field"}}`, with `field`
/// null when the problem names none. The one place the error shape is built.
nlohmann::json error_body(const idclaim::problem& p);

/// Builds the error response for `p`: the status comes from the error table,
/// the body is error_body(p) plus each member of `extra` (an object, e.g.
/// `{"hints": [...]}`) at the top level. `extra` cannot replace "error".
/// UNAVAILABLE (an overloaded queue) also gets `Retry-After`.
response error_response(const idclaim::problem& p,
                        const nlohmann::json& extra = {});

} // namespace idclaim::http
