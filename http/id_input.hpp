#pragma once

#include <string>

#include "domain/id_number.hpp"
#include "http/api_context.hpp"
#include "http/field_reader.hpp"

namespace idclaim::http {

/// An ID number from a request, validated and turned into its claim key.
struct id_input {
  domain::normalized_id id;
  std::string claim_key; ///< the blind index: how storage finds the claim
  /// The blind index under the other index key during a rotation (empty
  /// otherwise): the claim may still be stored under it.
  std::string other_claim_key;
};

/// Reads `id_type` (default resident) and `id_number`, validates them and
/// computes the blind index. Problems go to `fields`.
id_input read_id_input(const api_context& ctx, field_reader& fields);

using crypto::id_index_domain;
using crypto::mobile_index_domain;

} // namespace idclaim::http
