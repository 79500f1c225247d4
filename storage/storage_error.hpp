#pragma once

#include <stdexcept>
#include <string>

namespace idclaim::storage {

/// What kind of database failure happened, so callers can react without
/// knowing the driver.
enum class failure_kind {
  other,            ///< a bug or an outage: report, do not retry
  busy,             ///< locked or busy: the same work may succeed later
  serialization,    ///< serialization failure or deadlock: retry the txn
  unique_violation, ///< a UNIQUE constraint refused the change
  check_violation,  ///< a CHECK constraint refused the change
  connection_lost,  ///< the connection broke: reconnect
};

/// An unexpected database failure. Its text is for the log only: it may name
/// SQL but never holds personal data, and it never reaches a client.
class storage_error : public std::runtime_error {
public:
  explicit storage_error(const std::string& what,
                         failure_kind kind = failure_kind::other,
                         std::string constraint = {})
    : std::runtime_error(what), kind_(kind),
      constraint_(std::move(constraint)) {
  }

  failure_kind kind() const noexcept { return kind_; }

  /// Whether trying the same work again may succeed.
  bool retryable() const noexcept {
    return kind_ == failure_kind::busy || kind_ == failure_kind::serialization
           || kind_ == failure_kind::connection_lost;
  }

  /// For constraint violations: what the database named (SQLite names the
  /// columns, "accounts.username_key"; PostgreSQL the constraint).
  const std::string& constraint() const noexcept { return constraint_; }

  /// Whether this is a violation whose name mentions `needle`.
  bool violates(std::string_view needle) const {
    return (kind_ == failure_kind::unique_violation
            || kind_ == failure_kind::check_violation)
           && constraint_.find(needle) != std::string::npos;
  }

private:
  failure_kind kind_;
  std::string constraint_;
};

} // namespace idclaim::storage
