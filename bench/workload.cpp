#include "bench/workload.hpp"

#include <cstdio>
#include <stdexcept>

#include "domain/civil_date.hpp"
#include "domain/id_number.hpp"

namespace idclaim::bench {

namespace {

/// Birth dates of generated IDs start here; 25,000 days stay before 2019.
constexpr domain::civil_date first_birth{1950, 1, 1};
constexpr std::uint64_t ids_per_day = 1000;
constexpr std::uint64_t birth_days = 25000;

// Common surnames and given-name characters; any pair is a valid name.
constexpr const char* surnames[]
  = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙"};
constexpr const char* given[]
  = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋",
     "勇", "艳", "杰", "娟", "涛", "明", "超", "秀", "霞", "平"};

} // namespace

std::string base36(std::uint64_t n) {
  constexpr char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string out;
  do {
    out.insert(out.begin(), digits[n % 36]);
    n /= 36;
  } while (n != 0);
  return out;
}

identity_source::identity_source(std::uint32_t seed) : seed_(seed) {
  tag_ = base36(seed % (36 * 36 * 36));
  tag_.insert(tag_.begin(), 3 - tag_.size(), '0');
}

std::string identity_source::username(std::string_view role,
                                      std::uint64_t n) const {
  if (role.empty() || role.size() > 4)
    throw std::invalid_argument("username role must be 1-4 letters");
  return "b" + std::string{role} + tag_ + base36(n);
}

std::string identity_source::resident_id(std::uint64_t n) const {
  auto day = (n / ids_per_day) % birth_days;
  auto region = (seed_ + n / (ids_per_day * birth_days)) % 10000;
  auto birth = domain::civil_from_days(domain::days_from_civil(first_birth)
                                       + static_cast<int64_t>(day));
  char body[32];
  // Province 11 (Beijing) is always a known province; the other four
  // region digits carry the run seed.
  std::snprintf(body, sizeof body, "11%04u%04d%02d%02d%03u",
                static_cast<unsigned>(region), birth.year, birth.month,
                birth.day, static_cast<unsigned>(n % ids_per_day));
  return std::string{body} + *domain::gb11643_check_character(body);
}

std::string identity_source::mobile(std::uint64_t n) const {
  char text[12];
  std::snprintf(text, sizeof text, "13%09u",
                static_cast<unsigned>((n + seed_) % 1000000000u));
  return text;
}

std::string identity_source::name(std::uint64_t n) const {
  constexpr auto s = std::size(surnames);
  constexpr auto g = std::size(given);
  std::string out = surnames[n % s];
  out += given[(n / s) % g];
  if ((n / (s * g)) % 2 == 1)
    out += given[(n / (s * g * 2)) % g];
  return out;
}

nlohmann::json registration_body(const identity_source& ids,
                                 std::string_view role, std::uint64_t n,
                                 const std::string& id,
                                 bool acknowledge_duplicate) {
  nlohmann::json body{{"username", ids.username(role, n)},
                      {"password", bench_password},
                      {"name", ids.name(n)},
                      {"id_type", "resident"},
                      {"id_number", id},
                      {"mobile", ids.mobile(n)}};
  if (acknowledge_duplicate)
    body["acknowledge_duplicate"] = true;
  return body;
}

} // namespace idclaim::bench
