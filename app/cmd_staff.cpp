#include "app/commands.hpp"

#include <iostream>

#include "app/logging.hpp"
#include "app/service.hpp"
#include "crypto/password_hash.hpp"
#include "domain/fields.hpp"
#include "storage/database.hpp"

namespace idclaim::app {

int run_staff_add(const std::vector<std::string>& args) {
  config::app_config cfg;
  if (auto err = cfg.parse_layers(args); !err.empty()) {
    std::cerr << "idclaim staff add: " << err << "\n";
    return 2;
  }
  setup_logging(cfg.values.log_level);
  if (cfg.staff_role != "reviewer" && cfg.staff_role != "operator") {
    std::cerr << "idclaim staff add: --role must be reviewer or operator\n";
    return 2;
  }
  auto username = domain::parse_username(cfg.staff_username);
  if (auto p = std::get_if<problem>(&username)) {
    std::cerr << "idclaim staff add: --username: " << p->text() << "\n";
    return 2;
  }
  auto& name = std::get<domain::valid_username>(username);
  auto password = domain::parse_password(cfg.staff_password, name.text);
  if (auto p = std::get_if<problem>(&password)) {
    std::cerr << "idclaim staff add: --password: " << p->text() << "\n";
    return 2;
  }
  auto cost = crypto::parse_hash_cost(cfg.values.password_hash);
  if (!cost) {
    std::cerr << "idclaim staff add: bad --password-hash\n";
    return 2;
  }
  try {
    auto db = open_database(cfg.values);
    auto conn = db->connect();
    storage::staff_row row;
    row.username = name.text;
    row.username_key = name.key;
    row.password_hash = crypto::hash_password(std::get<std::string>(password),
                                              *cost);
    row.role = cfg.staff_role == "reviewer" ? storage::staff_role::reviewer
                                            : storage::staff_role::operator_;
    conn->begin();
    bool added = conn->staff().insert(row);
    conn->commit();
    if (!added) {
      std::cerr << "idclaim staff add: username " << name.text
                << " is taken\n";
      return 1;
    }
  } catch (const std::exception& e) {
    std::cerr << "idclaim staff add: " << e.what() << "\n";
    return 1;
  }
  std::cout << "added " << cfg.staff_role << " " << name.text << "\n";
  return 0;
}

} // namespace idclaim::app
