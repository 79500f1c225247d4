#pragma once

#include <memory>

#include "storage/connection.hpp"

namespace idclaim::storage {

/// Makes connections to one database (SQLite file or PostgreSQL server),
/// chosen by configuration.
class database {
public:
  virtual ~database() = default;

  /// Opens a new connection for writing (run `migrate` first, once).
  virtual std::unique_ptr<connection> connect() = 0;

  /// Opens a connection that only reads; SQLite readers run beside the one
  /// writer thanks to WAL.
  virtual std::unique_ptr<connection> connect_reader() = 0;

  /// Brings the schema to the newest version; idempotent, and safe when
  /// several processes start at once.
  virtual void migrate() = 0;

  /// Whether one writer must take every write (SQLite) or several
  /// connections may write at once (PostgreSQL).
  virtual bool single_writer() const = 0;
};

} // namespace idclaim::storage
