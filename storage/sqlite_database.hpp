#pragma once

#include <memory>
#include <string>

#include "storage/connection.hpp"

namespace idclaim::storage {

/// The embedded default: one SQLite file in WAL mode. SQLite allows one
/// writer at a time, so every write goes through one storage actor, which
/// commits jobs in groups.
class sqlite_database final : public database {
public:
  /// `sync` is the synchronous pragma: "full" (durable at power loss) or
  /// "normal" (durable at process crash).
  sqlite_database(std::string path, std::string sync);

  std::unique_ptr<connection> connect() override;
  void migrate() override;
  bool single_writer() const override { return true; }

private:
  std::string path_;
  std::string sync_;
};

} // namespace idclaim::storage
