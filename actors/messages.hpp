#pragma once

// All message types, atoms and error enums that idclaim's actors exchange,
// registered with CAF in one type-ID block (STYLE §8.2).

#include <cstdint>
#include <functional>
#include <string>

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
  std::string id_cipher;
  std::string mobile_cipher;
  std::string mobile_index;
  std::string email_cipher;
  bool acknowledge_duplicate = false;
};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, registration& x) {
  return f(caf::meta::type_name("registration"), x.username, x.username_key,
           x.password_hash, x.name_cipher, x.claim_key, x.id_cipher,
           x.mobile_cipher, x.mobile_index, x.email_cipher,
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

} // namespace idclaim

CAF_BEGIN_TYPE_ID_BLOCK(idclaim, caf::first_custom_type_id)
  CAF_ADD_TYPE_ID(idclaim, (idclaim::db_job))
  CAF_ADD_TYPE_ID(idclaim, (idclaim::bridge_task))
  CAF_ADD_TYPE_ID(idclaim, (idclaim::registration))
  CAF_ADD_TYPE_ID(idclaim, (idclaim::registration_result))
  CAF_ADD_TYPE_ID(idclaim, (idclaim::claim_check))
  CAF_ADD_TYPE_ID(idclaim, (idclaim::errc))
  // Atom texts are distinct from CAF's predefined ones (STYLE §7).
  CAF_ADD_ATOM(idclaim, idclaim, run_atom, "idc_run")
  CAF_ADD_ATOM(idclaim, idclaim, flush_atom, "idc_flush")
  CAF_ADD_ATOM(idclaim, idclaim, register_atom, "idc_reg")
  CAF_ADD_ATOM(idclaim, idclaim, check_atom, "idc_check")
  CAF_ADD_ATOM(idclaim, idclaim, idle_atom, "idc_idle")
  CAF_ADD_ATOM(idclaim, idclaim, stop_atom, "idc_stop")
  CAF_ADD_ATOM(idclaim, idclaim, count_atom, "idc_count")
CAF_END_TYPE_ID_BLOCK(idclaim)

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(idclaim::db_job)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(idclaim::bridge_task)
CAF_ERROR_CODE_ENUM(idclaim::errc, "idclaim")

namespace idclaim {

/// Turns a domain problem into a CAF error; field and message travel in the
/// error's context.
caf::error to_error(const problem& p);

/// Turns any CAF error back into a problem: ours keep code, field and
/// message; CAF's own (timeouts, dead actors) become server errors.
problem to_problem(const caf::error& err);

} // namespace idclaim
