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

/// `idclaim demo`: seeds the demo data set (idempotent) and prints its
/// logins. Returns the exit code.
int run_demo(const std::vector<std::string>& args);

/// Prints the usage text.
void print_usage();

} // namespace idclaim::app
