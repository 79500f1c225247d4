#pragma once

#include <memory>
#include <string>

#include "storage/database.hpp"

namespace idclaim::storage {

/// The embedded default: one SQLite file in WAL mode. SQLite allows one
/// writer at a time, so every write goes through one storage actor, which
/// commits jobs in groups; reads may use reader connections beside it.
class sqlite_database final : public database {
public:
  /// `sync` is the synchronous pragma: "full" or "normal".
  sqlite_database(std::string path, std::string sync);

  std::unique_ptr<connection> connect() override;
  std::unique_ptr<connection> connect_reader() override;
  void migrate() override;
  bool single_writer() const override { return true; }

  const std::string& path() const { return path_; }

private:
  std::string path_;
  std::string sync_;
};

} // namespace idclaim::storage
