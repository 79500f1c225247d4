#pragma once

// All message types, atoms and error enums that idclaim's actors exchange,
// registered with CAF in one type-ID block (STYLE §8.2).

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/error.hpp>
#include <caf/make_message.hpp>
#include <caf/message.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/type_id.hpp>

#include "domain/account.hpp"
#include "domain/errors.hpp"

namespace caf {
class event_based_actor;
} // namespace caf

namespace idclaim {

namespace storage {
class connection;
} // namespace storage

/// Work for a storage actor: runs on the storage thread inside a transaction
/// (and, for SQLite, inside a savepoint of a group commit). The work writes
/// its results into state the sender owns; the reply only says "committed".
struct db_job {
  std::function<void(storage::connection&)> work;
};

/// CPU-heavy work (decoding an uploaded photo, sealing it) for the CPU
/// pool; the closure writes its results into state the sender owns.
struct cpu_task {
  std::function<void()> work;
};

/// A closure run by the bridge actor on behalf of the HTTP layer, so that
/// Asio threads can start actor conversations without blocking.
struct bridge_task {
  std::function<void(caf::event_based_actor*)> run;
};

/// A registration that passed validation, with its secrets already sealed
/// and its password already hashed (outside any per-ID critical section).
struct registration {
  std::string username;
  std::string username_key;
  std::string password_hash;
  std::string name_cipher;
  std::string claim_key;
  /// During a blind-index key rotation, the ID's value under the other
  /// index key (empty otherwise): the claim may still be stored under it.
  std::string other_claim_key;
  std::string id_cipher;
  std::string mobile_cipher;
  std::string mobile_index;
  std::string email_cipher;
  bool acknowledge_duplicate = false;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, registration& x) {
  return f(caf::meta::type_name("registration"), x.username, x.username_key,
           x.password_hash, x.name_cipher, x.claim_key, x.other_claim_key,
           x.id_cipher, x.mobile_cipher, x.mobile_index, x.email_cipher,
           x.acknowledge_duplicate);
}

/// The account a registration made.
struct registration_result {
  account_id id = 0;
  std::string username;
  account_status status = account_status::restricted;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, registration_result& x) {
  return f(caf::meta::type_name("registration_result"), x.id, x.username,
           x.status);
}

/// What `POST /api/v1/id-checks` reports about a claim.
enum class claim_check : uint8_t { free, registered, under_review };

/// A review case to open: the photos passed the checks and are sealed.
struct review_submission {
  account_id account = 0;
  std::string claim_key;
  std::string front_type;
  std::string front_cipher;
  std::string back_type;
  std::string back_cipher;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, review_submission& x) {
  return f(caf::meta::type_name("review_submission"), x.account, x.claim_key,
           x.front_type, x.front_cipher, x.back_type, x.back_cipher);
}

/// The case a submission opened.
struct review_opened {
  int64_t id = 0;
  int64_t submitted_ms = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, review_opened& x) {
  return f(caf::meta::type_name("review_opened"), x.id, x.submitted_ms);
}

/// The two ways to prove ownership of an ID (SPEC §5, §6).
enum class resolution_path : uint8_t { review, assist };

/// Resolve a claim in favour of the claimant of a review case (approved by
/// staff member `actor`) or of an assist request (approved by the classmate
/// account `actor`). Both paths run the same code (SPEC §11).
struct resolution_request {
  std::string claim_key;
  resolution_path path = resolution_path::review;
  int64_t ref = 0;   ///< review case id or assist request id
  int64_t actor = 0; ///< staff id or classmate account id
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, resolution_request& x) {
  return f(caf::meta::type_name("resolution_request"), x.claim_key, x.path,
           x.ref, x.actor);
}

/// The outcome of a resolution: the new holder and the accounts cancelled.
struct resolution_result {
  account_id winner = 0;
  std::vector<account_id> cancelled;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, resolution_result& x) {
  return f(caf::meta::type_name("resolution_result"), x.winner, x.cancelled);
}

/// A reviewer rejects an open case with a reason.
struct review_rejection {
  std::string claim_key;
  int64_t case_id = 0;
  int64_t staff = 0;
  std::string reason;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, review_rejection& x) {
  return f(caf::meta::type_name("review_rejection"), x.claim_key, x.case_id,
           x.staff, x.reason);
}

/// One well-formed assist attempt (证件重复-用户协助), fields normalised and
/// the requester's own mobile sealed; matching happens in storage.
struct assist_attempt {
  account_id requester = 0;
  std::string classmate_name;         ///< normalised (parse_name)
  std::string classmate_mobile_index; ///< blind index of the mobile
  /// The mobile's value under the other index key during a rotation.
  std::string classmate_mobile_index_other;
  std::string own_mobile_cipher; ///< shown to the classmate
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, assist_attempt& x) {
  return f(caf::meta::type_name("assist_attempt"), x.requester,
           x.classmate_name, x.classmate_mobile_index,
           x.classmate_mobile_index_other, x.own_mobile_cipher);
}

/// A request an attempt created.
struct assist_sent {
  int64_t id = 0;
  int64_t sent_ms = 0;
  int64_t expires_ms = 0;
  int64_t remaining = 0; ///< attempts left today
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, assist_sent& x) {
  return f(caf::meta::type_name("assist_sent"), x.id, x.sent_ms,
           x.expires_ms, x.remaining);
}

/// A live connection (WebSocket) that wants an account's events. The
/// functions are thread-safe and outlive nothing: they hold the connection
/// weakly. Process-local, never serialised.
struct event_subscriber {
  uint64_t id = 0;
  std::string session_digest; ///< the session the connection logged in with
  /// Queues one JSON frame on the connection.
  std::function<void(std::shared_ptr<const std::string>)> push;
  /// Closes the connection (its session ended).
  std::function<void()> close;
};

/// One text message to a mobile. `code` is the verification code it
/// carries, if any (so a developer can read it from the outbox).
struct sms_message {
  std::string to;   ///< 11-digit mainland mobile
  std::string text; ///< zh-CN
  std::string code;
  int64_t sent_ms = 0;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, sms_message& x) {
  return f(caf::meta::type_name("sms_message"), x.to, x.text, x.code,
           x.sent_ms);
}

/// Which live connections of an account to close.
struct session_close {
  std::string digest; ///< the session concerned
  bool others = false; ///< true: every session but `digest`; false: only it
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, session_close& x) {
  return f(caf::meta::type_name("session_close"), x.digest, x.others);
}

} // namespace idclaim

CAF_BEGIN_TYPE_ID_BLOCK(idclaim, caf::first_custom_type_id)
  CAF_ADD_TYPE_ID(idclaim, (idclaim::db_job))
  CAF_ADD_TYPE_ID(idclaim, (idclaim::bridge_task))
  CAF_ADD_TYPE_ID(idclaim, (idclaim::cpu_task))
  CAF_ADD_TYPE_ID(idclaim, (idclaim::registration))
  CAF_ADD_TYPE_ID(idclaim, (idclaim::registration_result))
  CAF_ADD_TYPE_ID(idclaim, (idclaim::claim_check))
  CAF_ADD_TYPE_ID(idclaim, (idclaim::errc))
  CAF_ADD_TYPE_ID(idclaim, (idclaim::review_submission))
  CAF_ADD_TYPE_ID(idclaim, (idclaim::review_opened))
  CAF_ADD_TYPE_ID(idclaim, (idclaim::resolution_path))
  CAF_ADD_TYPE_ID(idclaim, (idclaim::resolution_request))
  CAF_ADD_TYPE_ID(idclaim, (idclaim::resolution_result))
  CAF_ADD_TYPE_ID(idclaim, (idclaim::review_rejection))
  CAF_ADD_TYPE_ID(idclaim, (idclaim::assist_attempt))
  CAF_ADD_TYPE_ID(idclaim, (idclaim::assist_sent))
  CAF_ADD_TYPE_ID(idclaim, (idclaim::event_subscriber))
  CAF_ADD_TYPE_ID(idclaim, (idclaim::session_close))
  CAF_ADD_TYPE_ID(idclaim, (std::vector<int64_t>))
  CAF_ADD_TYPE_ID(idclaim, (idclaim::sms_message))
  CAF_ADD_TYPE_ID(idclaim, (std::vector<idclaim::sms_message>))
  // Atom texts are distinct from CAF's predefined ones (STYLE §7).
  CAF_ADD_ATOM(idclaim, idclaim, run_atom, "idc_run")
  CAF_ADD_ATOM(idclaim, idclaim, flush_atom, "idc_flush")
  CAF_ADD_ATOM(idclaim, idclaim, register_atom, "idc_reg")
  CAF_ADD_ATOM(idclaim, idclaim, check_atom, "idc_check")
  CAF_ADD_ATOM(idclaim, idclaim, idle_atom, "idc_idle")
  CAF_ADD_ATOM(idclaim, idclaim, stop_atom, "idc_stop")
  CAF_ADD_ATOM(idclaim, idclaim, count_atom, "idc_count")
  CAF_ADD_ATOM(idclaim, idclaim, review_atom, "idc_review")
  CAF_ADD_ATOM(idclaim, idclaim, settle_atom, "idc_settle")
  CAF_ADD_ATOM(idclaim, idclaim, reject_atom, "idc_reject")
  CAF_ADD_ATOM(idclaim, idclaim, assist_atom, "idc_assist")
  CAF_ADD_ATOM(idclaim, idclaim, join_ws_atom, "idc_join")
  CAF_ADD_ATOM(idclaim, idclaim, leave_ws_atom, "idc_leave")
  CAF_ADD_ATOM(idclaim, idclaim, changed_atom, "idc_change")
  CAF_ADD_ATOM(idclaim, idclaim, resync_atom, "idc_resync")
  CAF_ADD_ATOM(idclaim, idclaim, close_atom, "idc_close")
  CAF_ADD_ATOM(idclaim, idclaim, sink_atom, "idc_sink")
  CAF_ADD_ATOM(idclaim, idclaim, loaded_atom, "idc_loaded")
  CAF_ADD_ATOM(idclaim, idclaim, sms_atom, "idc_sms")
  CAF_ADD_ATOM(idclaim, idclaim, tick_atom, "idc_tick")
  CAF_ADD_ATOM(idclaim, idclaim, health_atom, "idc_health")
CAF_END_TYPE_ID_BLOCK(idclaim)

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(idclaim::db_job)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(idclaim::bridge_task)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(idclaim::cpu_task)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(idclaim::event_subscriber)
CAF_ERROR_CODE_ENUM(idclaim::errc, "idclaim")

namespace idclaim {

/// Turns a domain problem into a CAF error; field and message travel in the
/// error's context.
caf::error to_error(const problem& p);

/// Turns any CAF error back into a problem: ours keep code, field and
/// message; CAF's own (timeouts, dead actors) become server errors.
problem to_problem(const caf::error& err);

} // namespace idclaim
