#include "metrics/registry.hpp"

#include <mutex>
#include <stdexcept>
#include <utility>

#include <nlohmann/json.hpp>

namespace idclaim::metrics {

registry::registry(std::size_t max_children_per_family)
  : max_children_(max_children_per_family) {}

registry::~registry() = default;

template <class T>
family<T>& registry::add(std::string name, std::string help,
                         std::vector<std::string> label_names,
                         typename T::config config) {
  // Build (and validate) outside the lock; only the name check and the
  // insertion need it.
  auto fam = std::make_unique<family<T>>(
    family_info{std::move(name), std::move(help), std::move(label_names),
                max_children_},
    std::move(config));
  auto names = fam->sample_names();
  std::unique_lock<std::shared_mutex> guard{mutex_};
  for (const auto& sample : names)
    if (sample_names_.count(sample) != 0)
      throw std::invalid_argument("metric name already used: " + sample);
  sample_names_.insert(names.begin(), names.end());
  auto& result = *fam;
  families_.push_back(std::move(fam));
  return result;
}

family<counter>&
registry::counter_family(std::string name, std::string help,
                         std::vector<std::string> label_names) {
  return add<counter>(std::move(name), std::move(help), std::move(label_names),
                      {});
}

family<double_counter>&
registry::double_counter_family(std::string name, std::string help,
                                std::vector<std::string> label_names) {
  return add<double_counter>(std::move(name), std::move(help),
                             std::move(label_names), {});
}

family<gauge>& registry::gauge_family(std::string name, std::string help,
                                      std::vector<std::string> label_names) {
  return add<gauge>(std::move(name), std::move(help), std::move(label_names),
                    {});
}

family<double_gauge>&
registry::double_gauge_family(std::string name, std::string help,
                              std::vector<std::string> label_names) {
  return add<double_gauge>(std::move(name), std::move(help),
                           std::move(label_names), {});
}

family<histogram>&
registry::histogram_family(std::string name, std::string help,
                           std::vector<std::string> label_names,
                           std::vector<double> bounds) {
  return add<histogram>(std::move(name), std::move(help),
                        std::move(label_names),
                        checked_bounds(std::move(bounds)));
}

family<callback_gauge>&
registry::callback_gauge_family(std::string name, std::string help,
                                std::vector<std::string> label_names) {
  return add<callback_gauge>(std::move(name), std::move(help),
                             std::move(label_names), {});
}

family<callback_counter>&
registry::callback_counter_family(std::string name, std::string help,
                                  std::vector<std::string> label_names) {
  return add<callback_counter>(std::move(name), std::move(help),
                               std::move(label_names), {});
}

std::vector<const family_base*> registry::families() const {
  std::shared_lock<std::shared_mutex> guard{mutex_};
  std::vector<const family_base*> result;
  result.reserve(families_.size());
  for (const auto& fam : families_)
    result.push_back(fam.get());
  return result;
}

std::string registry::render() const {
  std::string out;
  for (const auto* fam : families())
    fam->render(out);
  return out;
}

nlohmann::json registry::to_json() const {
  auto result = nlohmann::json::array();
  for (const auto* fam : families())
    result.push_back(fam->to_json());
  return result;
}

std::size_t registry::size() const {
  std::shared_lock<std::shared_mutex> guard{mutex_};
  return families_.size();
}

} // namespace idclaim::metrics
