#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

namespace idclaim::http {

/// One parsed HTTP request as a handler sees it.
struct request {
  /// The message: method, target, headers and the whole body.
  boost::beast::http::request<boost::beast::http::string_body> msg;
  /// The peer's address, without the port (e.g. "127.0.0.1").
  std::string remote_ip;
  /// The matched route pattern, e.g. "/api/v1/admin/reviews/{id}". Safe to
  /// log: unlike the raw target it carries no personal data.
  std::string route;
  /// The path parameters, percent-decoded, by the name in the pattern.
  std::map<std::string, std::string> params;
  /// The query parameters, percent-decoded; the first of repeated names wins.
  std::map<std::string, std::string> query;
};

/// Requests travel between threads (to actors and back) by shared pointer.
using request_ptr = std::shared_ptr<request>;

/// Returns the value of the first header field called `name` (compared
/// case-insensitively), or nothing when the request has none.
inline std::optional<std::string> header(const request& req,
                                         std::string_view name) {
  auto i = req.msg.find(name);
  if (i == req.msg.end())
    return std::nullopt;
  return std::string{i->value()};
}

/// Returns the value of the cookie called `name` (compared case-sensitively,
/// surrounding double quotes removed) from every `Cookie` header of the
/// request, or nothing when no cookie has that name. The first one wins.
inline std::optional<std::string> cookie(const request& req,
                                         std::string_view name) {
  constexpr std::string_view blanks = " \t";
  auto trim = [blanks](std::string_view s) {
    auto first = s.find_first_not_of(blanks);
    if (first == std::string_view::npos)
      return std::string_view{};
    auto last = s.find_last_not_of(blanks);
    return s.substr(first, last - first + 1);
  };
  auto [first, last] =
    req.msg.equal_range(boost::beast::http::field::cookie);
  for (auto i = first; i != last; ++i) {
    std::string_view rest = i->value();
    while (!rest.empty()) {
      auto semicolon = rest.find(';');
      auto pair = trim(rest.substr(0, semicolon));
      rest = semicolon == std::string_view::npos ? std::string_view{}
                                                 : rest.substr(semicolon + 1);
      auto eq = pair.find('=');
      if (eq == std::string_view::npos || trim(pair.substr(0, eq)) != name)
        continue;
      auto value = trim(pair.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
        value = value.substr(1, value.size() - 2);
      return std::string{value};
    }
  }
  return std::nullopt;
}

} // namespace idclaim::http
