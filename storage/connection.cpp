#include "storage/connection.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace idclaim::storage {

connection::connection(std::unique_ptr<sql_driver> driver)
  : driver_(std::move(driver)) {
}

void connection::account_changed(account_id id) {
  if (std::find(changed_.begin(), changed_.end(), id) != changed_.end())
    return;
  changed_.push_back(id);
  if (driver_->shared())
    driver_->notify(change_channel, "account:" + std::to_string(id));
}

std::vector<account_id> connection::take_changed() {
  return std::exchange(changed_, {});
}

void connection::ping() {
  driver_->exec("SELECT 1", {});
}

} // namespace idclaim::storage
