#pragma once

#include <memory>

#include "storage/database.hpp"
#include "storage/pg_driver.hpp"

namespace idclaim::storage {

/// A PostgreSQL server shared by several idclaim processes. Every
/// connection may write: the storage actors form a pool, one connection per
/// worker, and the invariants hold through constraints and row locks in the
/// server rather than through a single writer.
class pg_database final : public database {
public:
  explicit pg_database(pg_options options);

  /// A new connection; it reaches the server on its first statement.
  std::unique_ptr<connection> connect() override;

  /// The same as connect(): PostgreSQL needs no special reader mode.
  std::unique_ptr<connection> connect_reader() override;

  /// Applies the missing migrations while holding a session advisory lock,
  /// so that processes starting at once migrate one after the other and
  /// every one but the first finds nothing to do. Throws storage_error.
  void migrate() override;

  bool single_writer() const override { return false; }

  const pg_options& options() const { return options_; }

private:
  pg_options options_;
};

/// Whether `database` (the --database setting) names a PostgreSQL server.
bool is_postgres_url(const std::string& database);

} // namespace idclaim::storage
