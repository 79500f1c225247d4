#include "http/request_metrics.hpp"

#include <utility>

#include <boost/beast/http/verb.hpp>

namespace idclaim::http {

namespace {

/// The methods counted for requests that match no route; others count as
/// "other", so a client cannot mint label values.
constexpr std::array<std::string_view, 7> common_methods{
  "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};

constexpr std::array<std::string_view, 6> status_classes{"1xx", "2xx", "3xx",
                                                         "4xx", "5xx", "other"};

std::string key_of(std::string_view method, std::string_view route) {
  std::string key;
  key.reserve(method.size() + 1 + route.size());
  key.append(method).append(" ").append(route);
  return key;
}

} // namespace

request_metrics::request_metrics(std::shared_ptr<metrics::registry> reg,
                                 const router& routes)
  : registry_(std::move(reg)),
    requests_(registry_->counter_family(
      "idclaim_http_requests_total",
      "HTTP requests answered, by method, route pattern and status class.",
      {"method", "route", "code"})),
    latency_(registry_->histogram_family(
      "idclaim_http_request_duration_seconds",
      "Time from the request header to the response, by method and route "
      "pattern.",
      {"method", "route"})) {
  for (auto& [verb, pattern] : routes.routes()) {
    add(std::string{boost::beast::http::to_string(verb)}, pattern);
    // HEAD is answered by GET routes too.
    if (verb == boost::beast::http::verb::get)
      add("HEAD", pattern);
  }
  for (auto method : common_methods) {
    add(std::string{method}, "*");
    add(std::string{method}, "-");
  }
  add("other", "-");
  other_ = &slots_.find("other -")->second;
}

void request_metrics::add(const std::string& method, const std::string& route) {
  auto key = key_of(method, route);
  if (slots_.count(key) != 0)
    return;
  slot s;
  for (std::size_t i = 0; i < status_classes.size(); ++i)
    s.by_class[i] = &requests_.with({method, route, status_classes[i]});
  s.latency = &latency_.with({method, route});
  slots_.emplace(std::move(key), s);
}

const request_metrics::slot&
request_metrics::find(std::string_view method, std::string_view route) const {
  // Why a small stack buffer: no allocation per request for the key.
  char buffer[160];
  if (method.size() + 1 + route.size() <= sizeof buffer) {
    auto n = method.copy(buffer, method.size());
    buffer[n++] = ' ';
    n += route.copy(buffer + n, route.size());
    if (auto i = slots_.find(std::string_view{buffer, n}); i != slots_.end())
      return i->second;
  }
  return *other_;
}

void request_metrics::record(
  std::string_view method, std::string_view route, unsigned status,
  std::chrono::steady_clock::duration took) const noexcept {
  auto& s = find(method, route);
  auto cls = status >= 100 && status < 600 ? status / 100 - 1 : 5;
  s.by_class[cls]->inc();
  s.latency->observe(took);
}

} // namespace idclaim::http
