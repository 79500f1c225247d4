#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/account.hpp"
#include "storage/claims_repo.hpp"
#include "storage/sql_driver.hpp"

namespace idclaim::storage {

/// The life of a review case (SPEC §11): open → approved | rejected | void.
enum class review_state : uint8_t { open, approved, rejected, void_ };

std::string_view to_string(review_state s);

/// A customer-service review case (证件重复-客服审核).
struct review_row {
  int64_t id = 0;
  claim_id claim = 0;
  account_id account = 0;
  review_state state = review_state::open;
  std::string reason;
  int64_t submitted_ms = 0;
  std::optional<int64_t> closed_ms;
  std::optional<int64_t> closed_by_staff;
};

/// One sealed hand-held ID photo of a case.
struct review_photo {
  std::string side;         ///< "front" or "back"
  std::string content_type; ///< image/jpeg, image/png, image/gif
  std::string cipher;       ///< the sealed image bytes
};

/// A case closed by a resolution, with the account it belonged to.
struct closed_case {
  int64_t id = 0;
  account_id account = 0;
};

/// Review cases and their photos.
class reviews_repo {
public:
  explicit reviews_repo(sql_driver& db) : db_(db) {
  }

  /// Opens a case with its two photos; nothing when the account has an
  /// open case already (partial unique index).
  std::optional<int64_t> open(claim_id claim, account_id account,
                              int64_t now_ms, const review_photo& front,
                              const review_photo& back);

  std::optional<review_row> find(int64_t id);

  /// The account's cases, newest first.
  std::vector<review_row> by_account(account_id account);

  /// Open cases, oldest first (the reviewer queue).
  std::vector<review_row> queue(int64_t limit, int64_t offset);

  /// Cases in a closed state, newest closed first.
  std::vector<review_row> closed(review_state state, int64_t limit,
                                 int64_t offset);

  /// Number of open cases and the submission time of the oldest.
  int64_t open_count();
  std::optional<int64_t> oldest_open_ms();

  /// Closes an open case (I4); false when it was not open any more.
  bool close(int64_t id, review_state to, std::optional<int64_t> staff,
             const std::string& reason, int64_t now_ms);

  /// Voids every open case on `claim` (the claim was resolved).
  std::vector<closed_case> void_open_on_claim(claim_id claim, int64_t now_ms);

  std::optional<review_photo> photo(int64_t case_id, std::string_view side);

  /// Deletes the photos of cases closed before `closed_before_ms`.
  int64_t purge_photos(int64_t closed_before_ms);

private:
  std::vector<review_row> many(std::string_view sql,
                               std::initializer_list<sql_param> params);

  sql_driver& db_;
};

} // namespace idclaim::storage
