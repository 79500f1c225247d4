#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "domain/account.hpp"
#include "storage/accounts_repo.hpp"
#include "storage/assists_repo.hpp"
#include "storage/claims_repo.hpp"
#include "storage/inbox_repo.hpp"
#include "storage/login_log_repo.hpp"
#include "storage/records_repo.hpp"
#include "storage/reviews_repo.hpp"
#include "storage/sessions_repo.hpp"
#include "storage/sms_codes_repo.hpp"
#include "storage/sql_driver.hpp"
#include "storage/staff_repo.hpp"

namespace idclaim::storage {

/// An account whose visible state a job changed.
struct account_change {
  account_id id = 0;
  /// Set when only the inbox changed and the database has one writer: the
  /// unread count as of this job, which stays exact at the commit because
  /// no other transaction runs in between. Empty: only a fresh read tells.
  std::optional<int64_t> unread;
};

/// One database connection as the domain sees it: transactions, the
/// repositories of every area, and the accounts whose visible state (status,
/// mobile, inbox) the current job changed, so that their live pages can be told
/// after the commit. Used by one storage actor at a time.
class connection {
public:
  explicit connection(std::unique_ptr<sql_driver> driver);

  // -- transactions ------------------------------------------------------------

  void begin() { driver_->begin(); }
  void commit() { driver_->commit(); }
  void rollback() { driver_->rollback(); }
  void savepoint() { driver_->savepoint(); }
  void release_savepoint() { driver_->release_savepoint(); }
  void rollback_to_savepoint() { driver_->rollback_to_savepoint(); }

  // -- repositories --------------------------------------------------------------

  claims_repo claims() { return claims_repo{*driver_}; }
  accounts_repo accounts() { return accounts_repo{*driver_}; }
  sessions_repo sessions() { return sessions_repo{*driver_}; }
  staff_repo staff() { return staff_repo{*driver_}; }
  login_log_repo login_log() { return login_log_repo{*driver_}; }
  reviews_repo reviews() { return reviews_repo{*driver_}; }
  assists_repo assists() { return assists_repo{*driver_}; }
  assist_quota_repo assist_quota() { return assist_quota_repo{*driver_}; }
  inbox_repo inbox() { return inbox_repo{*driver_}; }
  records_repo records() { return records_repo{*driver_}; }
  sms_codes_repo sms_codes() { return sms_codes_repo{*driver_}; }

  // -- change notifications --------------------------------------------------------

  /// Records that `id`'s status, mobile or inbox changed in this job (what
  /// its live pages show: actors::account_actor); on a shared
  /// database other processes are told at commit (NOTIFY).
  void account_changed(account_id id);

  /// Records that only `id`'s inbox changed in this job. On a database with
  /// one writer (SQLite) it also counts the unread items now, inside the
  /// transaction, so the live pages are told the count with the change and
  /// need no read of their own. With several writers (PostgreSQL) a count
  /// taken here can miss a concurrent transaction's item, so it is the same
  /// as account_changed.
  void inbox_changed(account_id id);

  /// Takes the accounts recorded since the last call.
  std::vector<account_id> take_changed();

  /// Takes the accounts recorded since the last call, with the unread
  /// counts inbox_changed took (in the order recorded).
  std::vector<account_change> take_changes();

  // -- health ----------------------------------------------------------------------

  /// A trivial round trip; throws when the database is unreachable.
  void ping();

  sql_driver& driver() { return *driver_; }

private:
  std::unique_ptr<sql_driver> driver_;
  std::vector<account_change> changed_;
};

/// The channel on which processes sharing a database announce changes.
inline constexpr std::string_view change_channel = "idclaim_changes";

} // namespace idclaim::storage
