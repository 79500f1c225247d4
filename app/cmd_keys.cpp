#include "app/commands.hpp"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>
#include <thread>

#include "actors/sms_code_transactions.hpp"
#include "app/service.hpp"
#include "config/app_config.hpp"
#include "crypto/blind_index.hpp"
#include "crypto/field_cipher.hpp"
#include "crypto/key_rotation.hpp"
#include "crypto/key_set.hpp"
#include "storage/reindex_sweep.hpp"
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
template <class Sweep>
bool run_batch(storage::connection& conn, Sweep& sweep) {
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

/// Runs `f(conn)` in one transaction and returns its result.
template <class F>
auto in_transaction(storage::connection& conn, F f) {
  conn.begin();
  try {
    auto out = f(conn);
    conn.commit();
    return out;
  } catch (...) {
    conn.rollback();
    throw;
  }
}

/// Servers pick up a new key file within a second (key_source), and a
/// request in flight finishes within its timeout.
void wait_for_reload(const config::settings& s) {
  std::this_thread::sleep_for(
    std::chrono::seconds{2} + std::chrono::milliseconds{s.request_timeout_ms});
}

int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
           std::chrono::system_clock::now().time_since_epoch())
    .count();
}

/// Re-seals every stored value under the current encryption key; true when
/// none is left under an old one.
bool reseal_all(storage::connection& conn, const crypto::field_cipher& cipher,
                const std::string& path) {
  int64_t stale = -1;
  for (int pass = 1; pass <= max_passes && stale != 0; ++pass) {
    storage::reseal_sweep sweep{cipher, rotate_batch_rows};
    while (run_batch(conn, sweep)) {
      // next batch
    }
    auto& n = sweep.counts();
    std::cout << "reseal pass " << pass << ": " << n.scanned << " values, "
              << n.resealed << " re-sealed, " << n.unreadable
              << " unreadable\n";
    if (n.unreadable > 0) {
      std::cerr << "idclaim keys rotate: " << n.unreadable
                << " stored values open with no key of " << path
                << "; old keys kept\n";
      return false;
    }
    stale = in_transaction(conn, [&](storage::connection& c) {
      return storage::count_stale_sealed(c, cipher.current_key_id());
    });
  }
  if (stale != 0) {
    std::cerr << "idclaim keys rotate: " << stale
              << " values still under an old key (a server not reloading "
                 "its key file?); old keys kept, run again\n";
    return false;
  }
  return true;
}

/// Recomputes every stored blind index under the current index key; true
/// when none is left under the old one.
bool reindex_all(storage::connection& conn, const crypto::field_cipher& cipher,
                 const crypto::blind_index& index) {
  int64_t stale = -1;
  for (int pass = 1; pass <= max_passes && stale != 0; ++pass) {
    storage::reindex_sweep sweep{cipher, index, rotate_batch_rows};
    while (run_batch(conn, sweep)) {
      // next batch
    }
    auto& n = sweep.counts();
    std::cout << "reindex pass " << pass << ": " << n.scanned << " indexes, "
              << n.reindexed << " recomputed, " << n.unreadable
              << " unreadable, " << n.conflicts << " conflicts\n";
    if (n.unreadable > 0 || n.conflicts > 0) {
      std::cerr << "idclaim keys rotate: " << n.unreadable
                << " rows cannot be opened and " << n.conflicts
                << " rows would duplicate another row's index; old index "
                   "key kept\n";
      return false;
    }
    stale = in_transaction(conn, [&](storage::connection& c) {
      return storage::count_stale_indexes(c, cipher, index);
    });
  }
  if (stale != 0) {
    std::cerr << "idclaim keys rotate: " << stale
              << " blind indexes still under the old key (a server not "
                 "reloading its key file?); old index key kept, run again\n";
    return false;
  }
  return true;
}

/// SMS codes keep the mobile index (and digest) they were sent under: the
/// old index key stays until every code sent before `switched_ms` has
/// expired, at most one code lifetime.
void wait_for_old_sms_codes(storage::connection& conn, int64_t switched_ms) {
  auto latest = in_transaction(conn, [&](storage::connection& c) {
    return c.sms_codes().latest_expiry(switched_ms);
  });
  auto wait_ms = std::min(latest - wall_ms(), actors::sms_code_rules{}.ttl_ms);
  if (wait_ms <= 0)
    return;
  std::cout << "waiting " << (wait_ms + 999) / 1000
            << " s for SMS codes sent under the old index key to expire\n";
  std::this_thread::sleep_for(std::chrono::milliseconds{wait_ms});
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
    // 1. A new current encryption key and a new index key that is looked
    //    up but not yet written: servers that have re-read the file and
    //    servers that have not then write the same index values.
    auto keys = crypto::begin_encryption_rotation(path);
    keys = crypto::begin_index_rotation(path);
    std::cout << "encryption key " << int{keys.current_encryption_id()}
              << " is current in " << path << "; blind-index key "
              << int{keys.index_ids().back()} << " added\n";
    wait_for_reload(s);
    // 2. The new index key is current. Every server now looks both values
    //    up, so one writing under the old key and one under the new find
    //    each other's rows (docs/key-rotation.md).
    keys = crypto::switch_index_key(path);
    std::cout << "blind-index key " << int{keys.index_key_id()}
              << " is current\n";
    wait_for_reload(s);
    auto switched_ms = wall_ms();
    // 3. Re-seal and re-index every stored value in short batches while
    //    servers run; then check nothing is left under an old key.
    auto db = open_database(s);
    auto conn = db->connect();
    auto shared = std::make_shared<const crypto::key_set>(keys);
    crypto::field_cipher cipher{shared};
    crypto::blind_index index{shared};
    if (!reseal_all(*conn, cipher, path) || !reindex_all(*conn, cipher, index))
      return 1;
    wait_for_old_sms_codes(*conn, switched_ms);
    // 4. No value needs the old keys any more: forget them.
    auto removed = crypto::finish_encryption_rotation(path);
    std::cout << "removed " << removed << " old encryption key(s) from " << path
              << "\n";
    removed = crypto::finish_index_rotation(path);
    std::cout << "removed " << removed << " old blind-index key(s) from "
              << path << "\n";
  } catch (const std::exception& e) {
    std::cerr << "idclaim keys rotate: " << e.what() << "\n";
    return 1;
  }
  return 0;
}

} // namespace idclaim::app
