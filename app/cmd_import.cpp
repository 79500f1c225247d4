// idclaim import-records FILE.csv: the operator's import from the command
// line, with the same rules and report as the HTTP endpoint.

#include "app/commands.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

#include "actors/records_import.hpp"
#include "app/logging.hpp"
#include "app/service.hpp"
#include "crypto/blind_index.hpp"
#include "crypto/field_cipher.hpp"
#include "domain/shanghai_time.hpp"

namespace idclaim::app {

namespace {

std::optional<std::string> read_whole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

} // namespace

int run_import_records(const std::vector<std::string>& args) {
  config::app_config cfg;
  if (auto err = cfg.parse_layers(args); !err.empty()) {
    std::cerr << "idclaim import-records: " << err << "\n";
    return 2;
  }
  setup_logging(cfg.values.log_level);
  if (cfg.positional.size() != 1) {
    std::cerr << "usage: idclaim import-records [--data-dir DIR] FILE.csv\n";
    return 2;
  }
  auto csv = read_whole(cfg.positional.front());
  if (!csv) {
    std::cerr << "idclaim import-records: cannot read "
              << cfg.positional.front() << "\n";
    return 1;
  }
  try {
    auto keys = load_keys(cfg.values);
    crypto::field_cipher cipher{keys};
    crypto::blind_index index{keys};
    auto now = std::chrono::system_clock::now();
    auto prepared = actors::prepare_import(*csv, domain::shanghai_date(now),
                                           cipher, index);
    if (auto p = std::get_if<problem>(&prepared)) {
      std::cerr << "idclaim import-records: " << p->text() << "\n";
      return 1;
    }
    auto& run = std::get<actors::prepared_import>(prepared);
    auto db = open_database(cfg.values);
    auto conn = db->connect();
    actors::import_counts total;
    for (std::size_t i = 0; i < run.rows.size(); i += actors::import_chunk) {
      conn->begin();
      auto c = actors::store_records(*conn, run.rows, i,
                                     i + actors::import_chunk, to_ms(now));
      conn->commit();
      total.inserted += c.inserted;
      total.updated += c.updated;
      total.unchanged += c.unchanged;
    }
    std::cout << actors::import_report(total, run.rejected).dump(2) << "\n";
    return run.rejected.empty() ? 0 : 3;
  } catch (const std::exception& e) {
    std::cerr << "idclaim import-records: " << e.what() << "\n";
    return 1;
  }
}

} // namespace idclaim::app
