#pragma once

#include <string_view>
#include <vector>

namespace idclaim::storage {

/// One versioned schema step; versions only ever grow and a released step is
/// never edited (add a new one instead).
struct migration {
  int version;
  std::string_view sql;
};

/// The SQLite schema, oldest step first.
const std::vector<migration>& sqlite_migrations();

} // namespace idclaim::storage
