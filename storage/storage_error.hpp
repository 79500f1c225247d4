#pragma once

#include <stdexcept>
#include <string>

namespace idclaim::storage {

/// An unexpected database failure. Its text is for the log only: it may name
/// SQL but never holds personal data, and it never reaches a client.
class storage_error : public std::runtime_error {
public:
  explicit storage_error(const std::string& what, bool retryable = false)
    : std::runtime_error(what), retryable_(retryable) {
  }

  /// Whether trying the same work again may succeed (busy, serialization).
  bool retryable() const noexcept { return retryable_; }

private:
  bool retryable_;
};

} // namespace idclaim::storage
