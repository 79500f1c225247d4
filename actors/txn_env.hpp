#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "actors/messages.hpp"
#include "crypto/blind_index.hpp"
#include "crypto/field_cipher.hpp"

namespace idclaim::actors {

/// What a storage transaction of the domain needs besides the connection:
/// the time it runs at and the cipher to open sealed fields (a holder's
/// mobile for an SMS, a classmate's name to match).
struct txn_env {
  int64_t now_ms = 0;
  std::shared_ptr<const crypto::field_cipher> cipher;
  int64_t assist_ttl_ms = 72LL * 3600 * 1000;
  /// Recomputes blind indexes from opened values during an index-key
  /// rotation, when a row found by one index may be joined to others under
  /// either value (null: stored values are used as they are).
  std::shared_ptr<const crypto::blind_index> index = nullptr;
};

/// Side effects a transaction asks for once it has committed.
struct txn_effects {
  std::vector<sms_message> sms;
};

} // namespace idclaim::actors
