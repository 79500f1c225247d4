#include "http/router.hpp"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "http/query.hpp"

namespace idclaim::http {

namespace bhttp = boost::beast::http;

namespace {

/// Splits "/a/b" into {"a", "b"}; "/" gives {""} and "/a/" gives {"a", ""}.
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> result;
  path.remove_prefix(1);
  for (;;) {
    auto slash = path.find('/');
    result.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos)
      return result;
    path.remove_prefix(slash + 1);
  }
}

} // namespace

void router::add(bhttp::verb method, std::string pattern, handler fn,
                 route_options options) {
  auto invalid = [&pattern](const char* why) {
    return std::invalid_argument("route pattern \"" + pattern + "\": " + why);
  };
  if (pattern.empty() || pattern.front() != '/')
    throw invalid("must start with '/'");
  if (!fn)
    throw invalid("has no handler");
  if (options.websocket && !options.on_upgrade)
    throw invalid("is a websocket route without on_upgrade");
  compiled_route route{route_entry{method, pattern, std::move(fn),
                                   std::move(options)},
                       {}};
  std::set<std::string> names;
  for (auto piece : split_path(pattern)) {
    bool param = piece.size() >= 2 && piece.front() == '{'
                 && piece.back() == '}';
    if (param) {
      piece = piece.substr(1, piece.size() - 2);
      if (piece.empty())
        throw invalid("has an unnamed parameter");
      if (!names.emplace(piece).second)
        throw invalid("repeats a parameter name");
    }
    if (piece.find_first_of("{}") != std::string_view::npos)
      throw invalid("has a brace outside a whole-segment parameter");
    route.segments.push_back(segment{std::string{piece}, param});
  }
  // Two routes for one method whose segments agree but for parameter names
  // could never both be reached.
  auto same_shape = [&route](const compiled_route& other) {
    if (other.entry.method != route.entry.method
        || other.segments.size() != route.segments.size())
      return false;
    for (std::size_t i = 0; i < other.segments.size(); ++i) {
      auto& x = other.segments[i];
      auto& y = route.segments[i];
      if (x.param != y.param || (!x.param && x.text != y.text))
        return false;
    }
    return true;
  };
  if (std::any_of(routes_.begin(), routes_.end(), same_shape))
    throw invalid("duplicates an existing route for this method");
  routes_.push_back(std::move(route));
}

void router::set_fallback(handler fn, route_options options) {
  fallback_ =
    route_entry{bhttp::verb::get, "*", std::move(fn), std::move(options)};
}

bool router::more_specific(const compiled_route& x, const compiled_route& y) {
  for (std::size_t i = 0; i < x.segments.size(); ++i)
    if (x.segments[i].param != y.segments[i].param)
      return !x.segments[i].param;
  return false;
}

router::match router::find(bhttp::verb method, std::string_view path) const {
  match result;
  if (path.empty() || path.front() != '/')
    return result;
  std::vector<std::string> segments;
  for (auto piece : split_path(path)) {
    auto decoded = percent_decode(piece);
    if (!decoded)
      return result;
    segments.push_back(std::move(*decoded));
  }
  const compiled_route* best = nullptr;
  bool path_exists = false;
  for (auto& route : routes_) {
    if (route.segments.size() != segments.size())
      continue;
    bool fits = true;
    for (std::size_t i = 0; fits && i < segments.size(); ++i) {
      auto& seg = route.segments[i];
      fits = seg.param ? !segments[i].empty() : seg.text == segments[i];
    }
    if (!fits)
      continue;
    path_exists = true;
    if (route.entry.method != method) {
      if (std::find(result.allowed.begin(), result.allowed.end(),
                    route.entry.method)
          == result.allowed.end())
        result.allowed.push_back(route.entry.method);
      continue;
    }
    if (best == nullptr || more_specific(route, *best))
      best = &route;
  }
  if (best != nullptr) {
    for (std::size_t i = 0; i < segments.size(); ++i)
      if (best->segments[i].param)
        result.params.emplace(best->segments[i].text, std::move(segments[i]));
    result.route = &best->entry;
    result.allowed.clear();
    return result;
  }
  if (path_exists) {
    result.error = idclaim::errc::method_not_allowed;
    return result;
  }
  if (fallback_ && method == bhttp::verb::get)
    result.route = &*fallback_;
  return result;
}

std::vector<std::pair<bhttp::verb, std::string>> router::routes() const {
  std::vector<std::pair<bhttp::verb, std::string>> result;
  result.reserve(routes_.size());
  for (auto& route : routes_)
    result.emplace_back(route.entry.method, route.entry.pattern);
  return result;
}

} // namespace idclaim::http
