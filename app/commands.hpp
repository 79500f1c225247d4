#pragma once

#include <string>
#include <vector>

namespace idclaim::app {

/// `idclaim serve`: runs until SIGTERM or SIGINT. Returns the exit code.
int run_serve(const std::vector<std::string>& args);

/// `idclaim staff add --role reviewer|operator --username U --password P`.
int run_staff_add(const std::vector<std::string>& args);

/// `idclaim import-records FILE.csv`: imports student records.
int run_import_records(const std::vector<std::string>& args);

/// `idclaim keys create [--key-file PATH]`: writes a new key file (mode
/// 0600) for a shared database, whose processes never create keys; refuses
/// to replace an existing one. Returns the exit code.
int run_keys_create(const std::vector<std::string>& args);

/// `idclaim keys rotate [--key-file PATH] [--database URL]`: makes a new
/// encryption key current, re-seals every stored value under it in batches
/// while servers keep serving, then removes the old keys from the key file
/// (docs/key-rotation.md). Resumes an interrupted rotation. Returns the exit
/// code.
int run_keys_rotate(const std::vector<std::string>& args);

/// `idclaim backup FILE`: copies the embedded SQLite database to FILE with
/// SQLite's online backup while the server keeps serving. Refuses to
/// overwrite FILE and refuses PostgreSQL. Returns the exit code.
int run_backup(const std::vector<std::string>& args);

/// `idclaim restore FILE`: puts a backup into a data directory that has no
/// database yet, after an integrity check, and migrates it. Returns the
/// exit code.
int run_restore(const std::vector<std::string>& args);

/// `idclaim demo`: seeds the demo data set (idempotent) and prints its
/// logins. Returns the exit code.
int run_demo(const std::vector<std::string>& args);

/// Prints the usage text.
void print_usage();

} // namespace idclaim::app
