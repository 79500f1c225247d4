// idclaim-bench: micro-benchmarks of the per-request pure work. Prints
// numbers; it asserts nothing (targets live in docs/benchmarks.md).

#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>

#include <sodium.h>

#include "crypto/blind_index.hpp"
#include "crypto/field_cipher.hpp"
#include "crypto/key_set.hpp"
#include "crypto/password_hash.hpp"
#include "domain/id_number.hpp"

namespace {

/// Runs `f` `n` times and prints the mean cost per call.
void measure(const char* what, int n, const std::function<void()>& f) {
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i)
    f();
  auto us = std::chrono::duration<double, std::micro>(
              std::chrono::steady_clock::now() - start)
              .count();
  std::printf("%-40s %10.2f us/op  (%d ops)\n", what, us / n, n);
}

} // namespace

int main() {
  if (sodium_init() < 0)
    return 1;
  using namespace idclaim;
  auto keys = std::make_shared<const crypto::key_set>(crypto::key_set::generate());
  crypto::field_cipher cipher{keys};
  crypto::blind_index index{keys};
  domain::civil_date today{2026, 12, 3};
  measure("parse 18-digit resident ID", 100000, [&] {
    auto r = domain::parse_id_number(domain::id_type::resident,
                                     "11010519491231002X", today);
    (void) r;
  });
  measure("seal 18 bytes (XChaCha20-Poly1305)", 100000,
          [&] { (void) cipher.seal("11010519491231002X", "claim.id_number"); });
  measure("blind index 18 bytes (BLAKE2b)", 100000,
          [&] { (void) index.compute("claim.id", "resident:11010519491231002X"); });
  measure("argon2id fast", 200, [&] {
    (void) crypto::hash_password("correct horse 1", crypto::hash_cost::fast);
  });
  measure("argon2id interactive", 5, [&] {
    (void) crypto::hash_password("correct horse 1",
                                 crypto::hash_cost::interactive);
  });
  return 0;
}
