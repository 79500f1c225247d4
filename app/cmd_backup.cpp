// `idclaim backup FILE` and `idclaim restore FILE`: a copy of the embedded
// SQLite database taken while the server runs, and putting one back.

#include "app/commands.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <stdexcept>

#include "app/service.hpp"
#include "crypto/key_set.hpp"
#include "storage/sqlite_driver.hpp"

namespace idclaim::app {

namespace fs = std::filesystem;

namespace {

/// Parses the options of backup/restore and the one FILE argument. Returns
/// an error text or "".
std::string parse_file_command(const std::vector<std::string>& args,
                               config::app_config& cfg, std::string& file) {
  if (auto err = cfg.parse_layers(args); !err.empty())
    return err;
  if (cfg.positional.size() != 1)
    return "expected exactly one FILE argument";
  if (!cfg.values.database.empty())
    return "only the embedded SQLite database is backed up here; back up "
           "PostgreSQL with pg_dump or its own tools";
  file = cfg.positional.front();
  return {};
}

/// Flushes `path` (a file or a directory) to stable storage, so that a
/// backup reported done survives a power cut.
void sync_path(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0)
    throw std::runtime_error("cannot open " + path + " to sync it");
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0)
    throw std::runtime_error("cannot sync " + path);
}

/// The directory holding `path` ("." for a bare file name).
std::string parent_of(const std::string& path) {
  auto parent = fs::path(path).parent_path();
  return parent.empty() ? std::string{"."} : parent.string();
}

/// Throws unless SQLite's integrity check passes on the database at `path`.
void check_integrity(const std::string& path) {
  storage::sqlite_driver db{path, "full"};
  auto result = db.exec("PRAGMA integrity_check", {});
  bool ok = result.rows.size() == 1 && result.rows[0].size() == 1
            && result.rows[0].text(0) == "ok";
  if (!ok)
    throw std::runtime_error(path + " fails SQLite's integrity check");
}

/// Removes a file and the WAL files SQLite may leave beside it.
void remove_with_wal(const std::string& path) {
  std::error_code ec;
  for (auto suffix : {"", "-wal", "-shm", "-journal"})
    fs::remove(path + suffix, ec);
}

/// Moves the finished `partial` file to `target` and makes both durable.
void publish(const std::string& partial, const std::string& target) {
  fs::permissions(partial, fs::perms::owner_read | fs::perms::owner_write,
                  fs::perm_options::replace);
  sync_path(partial);
  fs::rename(partial, target);
  sync_path(parent_of(target));
}

} // namespace

int run_backup(const std::vector<std::string>& args) {
  config::app_config cfg;
  std::string file;
  if (auto err = parse_file_command(args, cfg, file); !err.empty()) {
    std::cerr << "idclaim backup: " << err << "\n";
    return 2;
  }
  auto source = cfg.values.sqlite_path();
  std::error_code ec;
  if (!fs::exists(source, ec)) {
    std::cerr << "idclaim backup: no database at " << source << "\n";
    return 1;
  }
  if (fs::exists(file, ec)) {
    std::cerr << "idclaim backup: " << file << " exists; not overwriting it\n";
    return 1;
  }
  // Written beside the target and renamed, so FILE is always whole.
  auto partial = file + ".partial";
  try {
    remove_with_wal(partial);
    {
      // A connection of our own: the server keeps writing through its one.
      storage::sqlite_driver live{source, cfg.values.sqlite_sync};
      live.backup_to(partial, -1);
    }
    check_integrity(partial);
    std::error_code ignored;
    fs::remove(partial + "-wal", ignored);
    fs::remove(partial + "-shm", ignored);
    publish(partial, file);
  } catch (const std::exception& e) {
    remove_with_wal(partial);
    std::cerr << "idclaim backup: " << e.what() << "\n";
    return 1;
  }
  std::cout << "backed up " << source << " to " << file << " ("
            << fs::file_size(file, ec) << " bytes)\n"
            << "the key file " << cfg.values.effective_key_file()
            << " is not in the backup: keep a copy of it apart\n";
  return 0;
}

int run_restore(const std::vector<std::string>& args) {
  config::app_config cfg;
  std::string file;
  if (auto err = parse_file_command(args, cfg, file); !err.empty()) {
    std::cerr << "idclaim restore: " << err << "\n";
    return 2;
  }
  auto target = cfg.values.sqlite_path();
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) {
    std::cerr << "idclaim restore: no backup file " << file << "\n";
    return 1;
  }
  if (fs::exists(target, ec)) {
    std::cerr << "idclaim restore: " << target
              << " exists; restore only into a fresh data directory (move "
                 "the old database away first)\n";
    return 1;
  }
  auto partial = target + ".restoring";
  try {
    fs::create_directories(cfg.values.data_dir);
    fs::permissions(cfg.values.data_dir, fs::perms::owner_all,
                    fs::perm_options::replace);
    remove_with_wal(partial);
    // A backup is a closed, self-contained database file: a plain copy,
    // checked before it takes the database's name.
    fs::copy_file(file, partial);
    check_integrity(partial);
    std::error_code ignored;
    fs::remove(partial + "-wal", ignored);
    fs::remove(partial + "-shm", ignored);
    publish(partial, target);
    // Brings an older backup's schema up to date now, not at first serve.
    open_database(cfg.values);
  } catch (const std::exception& e) {
    remove_with_wal(partial);
    std::cerr << "idclaim restore: " << e.what() << "\n";
    return 1;
  }
  std::cout << "restored " << file << " into " << target << "\n";
  auto keys = cfg.values.effective_key_file();
  if (!crypto::key_file_exists(keys))
    std::cout << "no key file at " << keys
              << " yet: copy the one that belongs to this backup there "
                 "(mode 0600) before serving, or nothing stored is readable\n";
  return 0;
}

} // namespace idclaim::app
