#include "http/json_body.hpp"

#include <algorithm>
#include <cctype>

#include <boost/beast/http/field.hpp>

namespace idclaim::http {

namespace {

std::string_view trim(std::string_view s) {
  constexpr std::string_view blanks = " \t";
  auto first = s.find_first_not_of(blanks);
  if (first == std::string_view::npos)
    return {};
  return s.substr(first, s.find_last_not_of(blanks) - first + 1);
}

bool iequals(std::string_view x, std::string_view y) {
  return x.size() == y.size()
         && std::equal(x.begin(), x.end(), y.begin(), [](char a, char b) {
              return std::tolower(static_cast<unsigned char>(a))
                     == std::tolower(static_cast<unsigned char>(b));
            });
}

/// Accepts `application/json` with no parameter but an optional utf-8
/// charset, e.g. `application/json; charset=UTF-8`.
bool is_json_media_type(std::string_view value) {
  auto semicolon = value.find(';');
  if (!iequals(trim(value.substr(0, semicolon)), "application/json"))
    return false;
  while (semicolon != std::string_view::npos) {
    value.remove_prefix(semicolon + 1);
    semicolon = value.find(';');
    auto param = trim(value.substr(0, semicolon));
    if (param.empty())
      continue;
    auto eq = param.find('=');
    if (eq == std::string_view::npos
        || !iequals(trim(param.substr(0, eq)), "charset"))
      return false;
    auto charset = trim(param.substr(eq + 1));
    if (charset.size() >= 2 && charset.front() == '"'
        && charset.back() == '"')
      charset = charset.substr(1, charset.size() - 2);
    if (!iequals(charset, "utf-8"))
      return false;
  }
  return true;
}

/// Finds `field` in `obj`, treating JSON null like absence.
const nlohmann::json* member(const nlohmann::json& obj,
                             std::string_view field) {
  if (!obj.is_object())
    return nullptr;
  auto i = obj.find(field);
  if (i == obj.end() || i->is_null())
    return nullptr;
  return &*i;
}

} // namespace

std::variant<nlohmann::json, idclaim::problem>
parse_json_object(const request& req) {
  const auto& body = req.msg.body();
  if (!body.empty()) {
    auto type = req.msg.find(boost::beast::http::field::content_type);
    if (type == req.msg.end() || !is_json_media_type(type->value()))
      return make_problem(errc::unsupported_media_type);
  }
  auto result = nlohmann::json::parse(body, nullptr, false);
  if (result.is_discarded() || !result.is_object())
    return make_problem(errc::bad_json);
  return result;
}

std::variant<std::string, idclaim::problem>
required_string(const nlohmann::json& obj, std::string_view field,
                idclaim::errc missing_code) {
  auto value = member(obj, field);
  if (value == nullptr)
    return make_problem(missing_code, std::string{field});
  if (!value->is_string())
    return make_problem(errc::field_type, std::string{field});
  auto& str = value->get_ref<const std::string&>();
  if (str.empty())
    return make_problem(missing_code, std::string{field});
  return str;
}

std::variant<std::optional<std::string>, idclaim::problem>
optional_string(const nlohmann::json& obj, std::string_view field) {
  auto value = member(obj, field);
  if (value == nullptr)
    return std::optional<std::string>{};
  if (!value->is_string())
    return make_problem(errc::field_type, std::string{field});
  return std::optional<std::string>{value->get<std::string>()};
}

std::variant<std::optional<bool>, idclaim::problem>
optional_bool(const nlohmann::json& obj, std::string_view field) {
  auto value = member(obj, field);
  if (value == nullptr)
    return std::optional<bool>{};
  if (!value->is_boolean())
    return make_problem(errc::field_type, std::string{field});
  return std::optional<bool>{value->get<bool>()};
}

} // namespace idclaim::http
