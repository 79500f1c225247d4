#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace idclaim::crash {

/// An account the server said it created (201).
struct acked_account {
  std::string username;
  std::string status; ///< as answered: active or restricted
};

/// What the server acknowledged with a 2xx answer during the whole run,
/// so the checks can demand each of it survived every crash. Thread-safe.
class ledger {
public:
  void account_created(const std::string& username, const std::string& status);
  void review_submitted(int64_t case_id, const std::string& username);
  void review_approved(int64_t case_id);
  /// An assist attempt answered with anything but 429 and 403: it used
  /// one of the day's five.
  void assist_attempt_counted(const std::string& username);
  /// An attempt refused with 429 ASSIST_DAILY_LIMIT.
  void assist_refused(const std::string& username);

  /// A restricted account for reviews (round robin), if any.
  std::optional<std::string> pick_restricted(uint64_t n) const;

  /// A restricted account kept for assist attempts only (names starting
  /// with 'a'), so that it stays restricted and reaches the daily five.
  std::optional<std::string> pick_assist(uint64_t n) const;

  /// How many accounts pick_assist chooses from.
  std::size_t assist_pool_size() const;

  std::vector<acked_account> accounts() const;
  std::map<int64_t, std::string> reviews() const;
  std::set<int64_t> approvals() const;
  std::map<std::string, int> assist_attempts() const;
  int assist_refusals() const;

private:
  mutable std::mutex mtx_;
  std::vector<acked_account> accounts_;
  std::vector<std::string> restricted_;
  std::vector<std::string> assist_pool_;
  std::map<int64_t, std::string> reviews_;
  std::set<int64_t> approvals_;
  std::map<std::string, int> assist_attempts_;
  int assist_refusals_ = 0;
};

} // namespace idclaim::crash
