#include "app/commands.hpp"

#include <iostream>

#include "config/app_config.hpp"

namespace idclaim::app {

void print_usage() {
  std::cout <<
    R"(usage: idclaim <command> [options]

commands:
  serve        run the HTTP server (default)
                 --listen HOST:PORT     (IDCLAIM_LISTEN, default 127.0.0.1:8080)
                 --data-dir DIR         (IDCLAIM_DATA_DIR, default var)
                 --password-hash fast|interactive|moderate (default interactive)
                 --test-clock           enable POST /api/v1/test/clock (tests only)
                 --config FILE          INI file (options under [global])
                 --database URL         (IDCLAIM_DATABASE) postgresql://... shared
                                        by several processes; empty: SQLite
                 --key-file PATH        (IDCLAIM_KEY_FILE) required with --database
  keys create  write a new key file (mode 0600) for --key-file; never
               replaces one
  keys rotate  make new encryption and blind-index keys current, re-seal
               and re-index all stored data while servers run, then drop
               the old keys; same --key-file, --database and --data-dir
               as serve
  staff add    add a staff member
                 --role reviewer|operator --username U --password P
                 --data-dir DIR
  import-records FILE.csv
               import student records (学籍): id_type,id_number,name,school,
               class,enrolment_year; prints inserted/updated/unchanged and
               each rejected line; exit code 3 when some lines were rejected
                 --data-dir DIR
  backup FILE  copy the embedded SQLite database to FILE while it serves
               (the key file is not included: keep it apart)
                 --data-dir DIR
  restore FILE put a backup into a data directory without a database
                 --data-dir DIR
  demo         seed the demo data set (a class, an ID conflict, a pending
               review and assist request, a reviewer and an operator) and
               print its logins; a second run changes nothing
                 --data-dir DIR         --password-hash fast|interactive|...

Every option can also come from IDCLAIM_<OPTION> (e.g. IDCLAIM_DATA_DIR) or
the INI file; flags win over the environment, which wins over the file.

all options:
)";
  std::cout << config::app_config{}.option_list();
}

} // namespace idclaim::app
