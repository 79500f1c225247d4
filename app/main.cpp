// idclaim: one binary, several subcommands (SPEC §10).

#include <iostream>
#include <string>
#include <vector>

#include <sodium.h>

#include "app/commands.hpp"

int main(int argc, char** argv) {
  if (sodium_init() < 0) {
    std::cerr << "idclaim: libsodium failed to initialise\n";
    return 1;
  }
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string command = "serve";
  if (!args.empty() && args.front().rfind("--", 0) != 0) {
    command = args.front();
    args.erase(args.begin());
  }
  if (command == "serve")
    return idclaim::app::run_serve(args);
  if (command == "staff" && !args.empty() && args.front() == "add") {
    args.erase(args.begin());
    return idclaim::app::run_staff_add(args);
  }
  if (command == "keys" && !args.empty() && args.front() == "create") {
    args.erase(args.begin());
    return idclaim::app::run_keys_create(args);
  }
  if (command == "keys" && !args.empty() && args.front() == "rotate") {
    args.erase(args.begin());
    return idclaim::app::run_keys_rotate(args);
  }
  if (command == "import-records")
    return idclaim::app::run_import_records(args);
  if (command == "backup")
    return idclaim::app::run_backup(args);
  if (command == "restore")
    return idclaim::app::run_restore(args);
  if (command == "demo")
    return idclaim::app::run_demo(args);
  if (command == "help" || command == "--help") {
    idclaim::app::print_usage();
    return 0;
  }
  std::cerr << "idclaim: unknown command '" << command << "'\n";
  idclaim::app::print_usage();
  return 2;
}
