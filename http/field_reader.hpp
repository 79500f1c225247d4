#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

#include "domain/errors.hpp"

namespace idclaim::http {

/// Reads and validates a JSON body field by field, remembering only the
/// first problem, so a handler reads as a list of fields and then one check.
class field_reader {
public:
  explicit field_reader(const nlohmann::json& body) : body_(body) {
  }

  /// A required string; "" after a problem.
  std::string text(std::string_view field);

  /// An optional string; nullopt when absent, null or after a problem.
  std::optional<std::string> optional_text(std::string_view field);

  /// An optional boolean; `fallback` when absent.
  bool flag(std::string_view field, bool fallback = false);

  /// Takes the value of a validator's result, or records its problem.
  template <class T>
  T take(std::variant<T, problem> result) {
    if (auto p = std::get_if<problem>(&result)) {
      fail(std::move(*p));
      return T{};
    }
    return std::move(std::get<T>(result));
  }

  /// The same, naming `field` in the problem: a body field checked by a
  /// shared rule (`own_mobile` by the mobile rule) reports its own name.
  template <class T>
  T take(std::variant<T, problem> result, std::string_view field) {
    if (auto p = std::get_if<problem>(&result))
      p->field = std::string{field};
    return take(std::move(result));
  }

  /// Records a problem unless one is recorded already.
  void fail(problem p) {
    if (!first_)
      first_ = std::move(p);
  }

  bool ok() const { return !first_; }
  const problem& error() const { return *first_; }

private:
  const nlohmann::json& body_;
  std::optional<problem> first_;
};

} // namespace idclaim::http
