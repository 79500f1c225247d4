#pragma once

#include <vector>

#include "storage/migrations.hpp"

namespace idclaim::storage {

/// The PostgreSQL schema, oldest step first: the same versions, tables,
/// columns, constraints and index names as `sqlite_migrations()`, in
/// PostgreSQL's dialect.
const std::vector<migration>& pg_migrations();

} // namespace idclaim::storage
