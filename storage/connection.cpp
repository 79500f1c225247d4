#include "storage/connection.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace idclaim::storage {

connection::connection(std::unique_ptr<sql_driver> driver)
  : driver_(std::move(driver)) {
}

namespace {

account_change* find_change(std::vector<account_change>& changes,
                            account_id id) {
  auto i = std::find_if(changes.begin(), changes.end(),
                        [id](const account_change& c) { return c.id == id; });
  return i == changes.end() ? nullptr : &*i;
}

} // namespace

void connection::account_changed(account_id id) {
  if (auto* known = find_change(changed_, id)) {
    // More than the inbox changed: only a fresh read shows it all.
    known->unread.reset();
    return;
  }
  changed_.push_back({id, std::nullopt});
  if (driver_->shared())
    driver_->notify(change_channel, "account:" + std::to_string(id));
}

void connection::inbox_changed(account_id id) {
  if (driver_->shared())
    return account_changed(id);
  auto unread = inbox().unread(id);
  if (auto* known = find_change(changed_, id)) {
    // A later count of the same job replaces an earlier one; an account
    // change recorded before stays a full reload.
    if (known->unread)
      known->unread = unread;
    return;
  }
  changed_.push_back({id, unread});
}

std::vector<account_id> connection::take_changed() {
  std::vector<account_id> ids;
  ids.reserve(changed_.size());
  for (auto& c : std::exchange(changed_, {}))
    ids.push_back(c.id);
  return ids;
}

std::vector<account_change> connection::take_changes() {
  return std::exchange(changed_, {});
}

void connection::ping() {
  driver_->exec("SELECT 1", {});
}

} // namespace idclaim::storage
