#include "http/response.hpp"

#include <string>

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>

namespace idclaim::http {

namespace bhttp = boost::beast::http;

response json_response(unsigned status, const nlohmann::json& body) {
  response res{static_cast<bhttp::status>(status), 11};
  res.set(bhttp::field::content_type, "application/json; charset=utf-8");
  res.set(bhttp::field::cache_control, "no-store");
  res.body() =
    body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  res.prepare_payload();
  return res;
}

nlohmann::json error_body(const idclaim::problem& p) {
  nlohmann::json field = nullptr;
  if (!p.field.empty())
    field = p.field;
  return nlohmann::json{
    {"error",
     {{"code", info(p.code).code}, {"message", p.text()}, {"field", field}}}};
}

response error_response(const idclaim::problem& p,
                        const nlohmann::json& extra) {
  auto body = error_body(p);
  if (extra.is_object())
    for (auto& [key, value] : extra.items())
      if (key != "error")
        body[key] = value;
  auto res = json_response(static_cast<unsigned>(p.http_status()), body);
  // Why: an overloaded queue refuses at once; Retry-After tells clients
  // (and load balancers) to back off rather than retry in a tight loop.
  if (p.code == errc::unavailable)
    res.set(boost::beast::http::field::retry_after,
            std::to_string(retry_after_seconds));
  return res;
}

} // namespace idclaim::http
