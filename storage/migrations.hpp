#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "storage/sql_driver.hpp"

namespace idclaim::storage {

/// One versioned schema step; versions only ever grow and a released step is
/// never edited (add a new one instead).
struct migration {
  int version;
  std::string_view sql;
};

/// Applies every step of `steps` the database has not seen yet, each in its
/// own transaction, recording it in `schema_migrations`. Idempotent. The
/// caller makes sure only one process migrates at a time.
void apply_migrations(sql_driver& db, const std::vector<migration>& steps,
                      int64_t now_ms);

} // namespace idclaim::storage
