#include "app/commands.hpp"

#include <chrono>
#include <iostream>
#include <memory>
#include <thread>

#include "app/service.hpp"
#include "config/app_config.hpp"
#include "crypto/field_cipher.hpp"
#include "crypto/key_rotation.hpp"
#include "crypto/key_set.hpp"
#include "storage/reseal_sweep.hpp"
#include "storage/storage_error.hpp"

namespace idclaim::app {

namespace {

/// Rows re-sealed per transaction: small enough that the service's writes
/// never wait long behind a batch.
constexpr size_t rotate_batch_rows = 200;

/// Full passes over the data before giving up on reaching zero stale
/// values (a server that has not reloaded keeps writing old-key values).
constexpr int max_passes = 5;

/// One batch in its own transaction; a failed batch is rolled back and
/// tried again a few times (SQLite busy, a dropped PostgreSQL link).
bool run_batch(storage::connection& conn, storage::reseal_sweep& sweep) {
  for (int attempt = 1;; ++attempt) {
    try {
      conn.begin();
      auto more = sweep.step(conn);
      conn.commit();
      return more;
    } catch (const storage::storage_error&) {
      conn.rollback();
      if (attempt == 3)
        throw;
    }
  }
}

} // namespace

int run_keys_create(const std::vector<std::string>& args) {
  config::app_config cfg;
  if (auto err = cfg.parse_layers(args); !err.empty()) {
    std::cerr << "idclaim keys create: " << err << "\n";
    return 2;
  }
  auto path = cfg.values.effective_key_file();
  // An existing file holds the keys of stored data: never replace it.
  if (crypto::key_file_exists(path)) {
    std::cerr << "idclaim keys create: " << path << " exists; not replaced\n";
    return 1;
  }
  try {
    crypto::create_key_file(path);
  } catch (const std::exception& e) {
    std::cerr << "idclaim keys create: " << e.what() << "\n";
    return 1;
  }
  std::cout << "created " << path
            << " (mode 0600); back it up: without it the stored personal "
               "data cannot be read\n";
  return 0;
}

int run_keys_rotate(const std::vector<std::string>& args) {
  config::app_config cfg;
  if (auto err = cfg.parse_layers(args); !err.empty()) {
    std::cerr << "idclaim keys rotate: " << err << "\n";
    return 2;
  }
  auto& s = cfg.values;
  auto path = s.effective_key_file();
  try {
    // 1. A new current key in the file; servers pick it up within a second
    //    (key_source), and a request in flight finishes within its timeout.
    auto keys = crypto::begin_encryption_rotation(path);
    std::cout << "encryption key " << int{keys.current_encryption_id()}
              << " is current in " << path << "\n";
    std::this_thread::sleep_for(
      std::chrono::seconds{2}
      + std::chrono::milliseconds{s.request_timeout_ms});
    // 2. Re-seal every stored value in short batches while servers run.
    auto db = open_database(s);
    auto conn = db->connect();
    auto shared = std::make_shared<const crypto::key_set>(keys);
    crypto::field_cipher cipher{shared};
    int64_t stale = -1;
    for (int pass = 1; pass <= max_passes && stale != 0; ++pass) {
      storage::reseal_sweep sweep{cipher, rotate_batch_rows};
      while (run_batch(*conn, sweep)) {
        // next batch
      }
      auto& n = sweep.counts();
      std::cout << "pass " << pass << ": " << n.scanned << " values, "
                << n.resealed << " re-sealed, " << n.unreadable
                << " unreadable\n";
      if (n.unreadable > 0) {
        std::cerr << "idclaim keys rotate: " << n.unreadable
                  << " stored values open with no key of " << path
                  << "; old keys kept\n";
        return 1;
      }
      conn->begin();
      stale = storage::count_stale_sealed(*conn, keys.current_encryption_id());
      conn->commit();
    }
    if (stale != 0) {
      std::cerr << "idclaim keys rotate: " << stale
                << " values still under an old key (a server not reloading "
                   "its key file?); old keys kept, run again\n";
      return 1;
    }
    // 3. No value needs the old keys any more: forget them.
    auto removed = crypto::finish_encryption_rotation(path);
    std::cout << "removed " << removed << " old encryption key(s) from " << path
              << "\n";
  } catch (const std::exception& e) {
    std::cerr << "idclaim keys rotate: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

} // namespace idclaim::app
