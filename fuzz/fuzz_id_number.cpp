// Fuzzes the ID-number parser. The first byte picks the id_type, the rest
// is the number as a user would type it.

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

#include "domain/id_number.hpp"
#include "fuzz/fuzz_support.hpp"

using namespace idclaim;
using namespace idclaim::domain;

namespace {

bool is_canonical_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z');
}

/// What every accepted number must look like.
void check_accepted(id_type type, const normalized_id& id) {
  fuzz::require(id.type == type, "accepted with another type");
  fuzz::require(!id.number.empty(), "accepted an empty number");
  for (auto c : id.number)
    fuzz::require(is_canonical_char(c), "canonical number not [0-9A-Z]");
  if (type == id_type::resident || type == id_type::residence_permit) {
    fuzz::require(id.number.size() == 18, "GB 11643 number not 18 long");
    auto check
      = gb11643_check_character(std::string_view{id.number}.substr(0, 17));
    fuzz::require(check && *check == id.number[17], "bad check character");
  }
  // Canonical means a fixed point: parsing it again gives the same.
  auto again = parse_id_number(type, id.number, fuzz::today);
  auto same = std::get_if<normalized_id>(&again);
  fuzz::require(same != nullptr && same->number == id.number,
                "canonical number does not parse to itself");
  auto text = claim_text(id);
  fuzz::require(text == std::string{to_string(type)} + ':' + id.number,
                "claim_text is not type:number");
}

void check_rejected(std::string_view raw, const id_rejection& no) {
  fuzz::require(!no.message.empty(), "rejection without a message");
  fuzz::require(rule_name(no.rule) != "unknown", "rejection with no rule");
  // Messages must never echo the number (privacy). Only a number of 8 or
  // more ASCII letters and digits is looked for: shorter ones can coincide
  // with a length or region code in the message, other text with its words.
  auto number = normalize_id_text(raw);
  bool plain = number.size() >= 8;
  for (auto c : number)
    plain = plain && is_canonical_char(c);
  if (plain)
    fuzz::require(no.message.find(number) == std::string::npos,
                  "rejection message echoes the number");
  auto p = to_problem(no);
  fuzz::require(p.code == errc::id_invalid && p.field == "id_number",
                "to_problem is not id_invalid on id_number");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  if (size == 0)
    return 0;
  auto type = static_cast<id_type>(data[0] % 5);
  auto raw = fuzz::as_text(data + 1, size - 1);
  (void)parse_id_type(raw);
  (void)gb11643_check_character(raw);
  (void)normalize_id_text(raw);
  auto result = parse_id_number(type, raw, fuzz::today);
  if (auto id = std::get_if<normalized_id>(&result))
    check_accepted(type, *id);
  else
    check_rejected(raw, std::get<id_rejection>(result));
  return 0;
}
