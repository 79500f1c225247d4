#include "metrics/family.hpp"

#include <algorithm>
#include <stdexcept>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "metrics/text_format.hpp"

namespace idclaim::metrics {

family_base::family_base(family_info info, metric_type type)
  : info_(std::move(info)), type_(type) {
  const auto& names = info_.label_names;
  if (!is_valid_metric_name(info_.name))
    throw std::invalid_argument("bad metric name: " + info_.name);
  if (names.size() > max_label_names)
    throw std::invalid_argument("too many labels on " + info_.name);
  for (auto i = names.begin(); i != names.end(); ++i) {
    if (!is_valid_label_name(*i))
      throw std::invalid_argument("bad label name on " + info_.name);
    if (std::find(names.begin(), i, *i) != i)
      throw std::invalid_argument("repeated label name on " + info_.name);
    // A histogram writes `le` itself on every bucket line.
    if (type_ == metric_type::histogram && *i == "le")
      throw std::invalid_argument("histogram label `le` on " + info_.name);
  }
  if (info_.max_children == 0)
    throw std::invalid_argument("zero child cap on " + info_.name);
}

family_base::~family_base() = default;

std::vector<std::string> family_base::sample_names() const {
  if (type_ != metric_type::histogram)
    return {info_.name};
  return {info_.name, info_.name + "_bucket", info_.name + "_sum",
          info_.name + "_count"};
}

void family_base::render(std::string& out) const {
  append_header(out, info_.name, info_.help, type_);
  each_child(
    [&](const std::vector<std::string>& values, const child_value& value) {
      label_pairs labels{info_.label_names, values};
      std::visit(
        [&](const auto& x) {
          using value_type = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<value_type, histogram_snapshot>)
            append_histogram(out, info_.name, labels, x);
          else
            append_sample(out, info_.name, labels, format_value(x));
        },
        value);
    });
}

nlohmann::json family_base::to_json() const {
  auto children = nlohmann::json::array();
  each_child(
    [&](const std::vector<std::string>& values, const child_value& value) {
      auto labels = nlohmann::json::object();
      for (std::size_t i = 0; i < values.size(); ++i)
        labels[info_.label_names[i]] = values[i];
      auto json_value
        = std::visit([](const auto& x) { return nlohmann::json(x); }, value);
      children.push_back(
        {{"labels", std::move(labels)}, {"value", std::move(json_value)}});
    });
  return {{"name", info_.name},
          {"help", info_.help},
          {"type", std::string(to_string(type_))},
          {"label_names", info_.label_names},
          {"children", std::move(children)}};
}

label_key family_base::overflow_key() const noexcept {
  label_key key;
  key.size = info_.label_names.size();
  std::fill(key.values.begin(), key.values.begin() + key.size,
            overflow_label_value);
  return key;
}

void family_base::throw_arity_mismatch(std::size_t given) const {
  throw std::invalid_argument(info_.name + " takes "
                              + std::to_string(info_.label_names.size())
                              + " label values, not " + std::to_string(given));
}

} // namespace idclaim::metrics
