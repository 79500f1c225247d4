#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace idclaim::bench {

/// The password of every account the bench makes (valid per parse_password).
inline constexpr std::string_view bench_password = "Bench-pass-1";

/// Makes distinct, valid identities from a number: usernames, resident ID
/// numbers, mobiles and names. Pure functions of (seed, n), so load threads
/// can share one source and a result can be traced back to its request.
/// The seed keeps the identities of runs against the same external server
/// apart.
class identity_source {
public:
  /// `seed` picks the run's region code and username tag.
  explicit identity_source(std::uint32_t seed);

  /// A username, unique per (role, n): a letter, `role` (1-4 lower-case
  /// letters), the run tag and n in base 36; 6-20 characters.
  std::string username(std::string_view role, std::uint64_t n) const;

  /// A valid 18-digit resident ID number, distinct for every n below
  /// 25,000,000 (birth dates 1950-01-01 onwards, 1,000 per day).
  std::string resident_id(std::uint64_t n) const;

  /// A valid mainland mobile number, distinct for every n below 10^9.
  std::string mobile(std::uint64_t n) const;

  /// A valid two- or three-character Han name; many n share one.
  std::string name(std::uint64_t n) const;

  /// The run tag inside usernames (3 base-36 characters).
  const std::string& tag() const { return tag_; }

private:
  std::uint32_t seed_;
  std::string tag_;
};

/// The body of POST /api/v1/accounts for identity `n` on ID number `id`.
nlohmann::json registration_body(const identity_source& ids,
                                 std::string_view role, std::uint64_t n,
                                 const std::string& id,
                                 bool acknowledge_duplicate);

/// `n` in base 36 (digits then lower-case letters).
std::string base36(std::uint64_t n);

} // namespace idclaim::bench
