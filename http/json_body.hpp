#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "domain/errors.hpp"
#include "http/request.hpp"

namespace idclaim::http {

/// Parses the request body as a JSON object. Yields 415
/// UNSUPPORTED_MEDIA_TYPE when a body comes with a content type other than
/// `application/json` (a `charset` parameter, if any, must be utf-8), and
/// 400 BAD_JSON when the body is empty, malformed or not an object.
std::variant<nlohmann::json, idclaim::problem>
parse_json_object(const request& req);

/// Reads the string member `field` of `obj`. Missing, null or "" yields
/// `missing_code` (default 422 FIELD_MISSING); another JSON type yields
/// 422 FIELD_TYPE. Both name `field`.
std::variant<std::string, idclaim::problem>
required_string(const nlohmann::json& obj, std::string_view field,
                idclaim::errc missing_code = idclaim::errc::field_missing);

/// Reads the optional string member `field` of `obj`: nothing when it is
/// missing or null, 422 FIELD_TYPE (naming `field`) for another JSON type.
std::variant<std::optional<std::string>, idclaim::problem>
optional_string(const nlohmann::json& obj, std::string_view field);

/// Reads the optional boolean member `field` of `obj`: nothing when it is
/// missing or null, 422 FIELD_TYPE (naming `field`) for another JSON type.
std::variant<std::optional<bool>, idclaim::problem>
optional_bool(const nlohmann::json& obj, std::string_view field);

} // namespace idclaim::http
