#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "crypto/field_cipher.hpp"
#include "storage/connection.hpp"

namespace idclaim::http {

/// A request's state as users see it: a pending request past its expiry
/// reads "expired" before the sweeper has stored that.
storage::assist_state effective_state(const storage::assist_row& r,
                                      int64_t now_ms);

/// 处理结果: the result text of a request in `state`.
std::string_view result_text(storage::assist_state state);

/// An inbox item together with what it shows: for an assist request, the
/// request and its requester.
struct inbox_entry {
  storage::inbox_row item;
  std::optional<storage::assist_row> request;
  std::string requester_name_cipher;
};

/// Loads what `items` show (the requests and their requesters).
std::vector<inbox_entry> load_entries(storage::connection& conn,
                                      std::vector<storage::inbox_row> items);

/// One inbox item as API.md shows it in the list; `detail` adds the
/// processing time and the result (the seed's detail view).
nlohmann::json inbox_json(const crypto::field_cipher& cipher,
                          const inbox_entry& e, int64_t now_ms, bool detail);

} // namespace idclaim::http
