#pragma once

#include <vector>

#include "storage/migrations.hpp"

namespace idclaim::storage {

/// The SQLite schema, oldest step first.
const std::vector<migration>& sqlite_migrations();

} // namespace idclaim::storage
