#include "crash/ledger.hpp"

namespace idclaim::crash {

void ledger::account_created(const std::string& username,
                             const std::string& status) {
  std::lock_guard<std::mutex> guard{mtx_};
  accounts_.push_back({username, status});
  if (status != "restricted")
    return;
  if (username.rfind('a', 0) == 0)
    assist_pool_.push_back(username);
  else
    restricted_.push_back(username);
}

void ledger::review_submitted(int64_t case_id, const std::string& username) {
  std::lock_guard<std::mutex> guard{mtx_};
  reviews_[case_id] = username;
}

void ledger::review_approved(int64_t case_id) {
  std::lock_guard<std::mutex> guard{mtx_};
  approvals_.insert(case_id);
}

void ledger::assist_attempt_counted(const std::string& username) {
  std::lock_guard<std::mutex> guard{mtx_};
  ++assist_attempts_[username];
}

void ledger::assist_refused(const std::string&) {
  std::lock_guard<std::mutex> guard{mtx_};
  ++assist_refusals_;
}

std::optional<std::string> ledger::pick_restricted(uint64_t n) const {
  std::lock_guard<std::mutex> guard{mtx_};
  if (restricted_.empty())
    return std::nullopt;
  return restricted_[n % restricted_.size()];
}

std::optional<std::string> ledger::pick_assist(uint64_t n) const {
  std::lock_guard<std::mutex> guard{mtx_};
  if (assist_pool_.empty())
    return std::nullopt;
  return assist_pool_[n % assist_pool_.size()];
}

std::size_t ledger::assist_pool_size() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return assist_pool_.size();
}

std::vector<acked_account> ledger::accounts() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return accounts_;
}

std::map<int64_t, std::string> ledger::reviews() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return reviews_;
}

std::set<int64_t> ledger::approvals() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return approvals_;
}

std::map<std::string, int> ledger::assist_attempts() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return assist_attempts_;
}

int ledger::assist_refusals() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return assist_refusals_;
}

} // namespace idclaim::crash
