#include "http/query.hpp"

#include <charconv>

namespace idclaim::http {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

} // namespace

target_parts split_target(std::string_view target) {
  target = target.substr(0, target.find('#'));
  auto question = target.find('?');
  if (question == std::string_view::npos)
    return {target, {}};
  return {target.substr(0, question), target.substr(question + 1)};
}

std::optional<std::string> percent_decode(std::string_view in,
                                          bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    auto c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size())
        return std::nullopt;
      auto hi = hex_value(in[i + 1]);
      auto lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0)
        return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::optional<std::map<std::string, std::string>>
parse_query(std::string_view query) {
  std::map<std::string, std::string> result;
  while (!query.empty()) {
    auto amp = query.find('&');
    auto piece = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{}
                                          : query.substr(amp + 1);
    if (piece.empty())
      continue;
    auto eq = piece.find('=');
    auto name = percent_decode(piece.substr(0, eq), true);
    auto value = eq == std::string_view::npos
                   ? std::optional<std::string>{std::string{}}
                   : percent_decode(piece.substr(eq + 1), true);
    if (!name || !value)
      return std::nullopt;
    result.emplace(std::move(*name), std::move(*value));
  }
  return result;
}

} // namespace idclaim::http

namespace idclaim::http {

std::optional<int64_t> parse_count(std::string_view text) {
  int64_t v = 0;
  auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (text.empty() || ec != std::errc{} || ptr != end || v < 0)
    return std::nullopt;
  return v;
}

std::variant<int64_t, problem>
query_count(const std::map<std::string, std::string>& query,
            const std::string& name, int64_t fallback, int64_t max) {
  auto i = query.find(name);
  if (i == query.end())
    return fallback;
  auto v = parse_count(i->second);
  if (!v || *v > max)
    return make_problem(errc::field_type, name);
  return *v;
}

} // namespace idclaim::http
