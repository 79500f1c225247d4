#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <boost/beast/http/verb.hpp>

#include "http/api_context.hpp"
#include "http/request.hpp"
#include "http/router.hpp"
#include "storage/accounts_repo.hpp"
#include "storage/sessions_repo.hpp"
#include "storage/staff_repo.hpp"

namespace idclaim::http {

/// Who is calling, resolved from the session token.
struct principal {
  storage::session_row session;
  std::optional<storage::account_row> account; ///< for student sessions
  std::optional<storage::staff_row> staff;     ///< for staff sessions
};

/// What a route demands of its caller (API.md "restricted" rule).
enum class access {
  account_any,          ///< any student, also `restricted` ones
  account_unrestricted, ///< `active` students only: ACCOUNT_RESTRICTED else
  reviewer,             ///< staff with the reviewer role
  operator_,            ///< staff with the operator role
};

/// API.md's one list of what a `restricted` account may call: `/me`,
/// GET `/me/personal-info`, sessions, `/reviews…`, `/assist-requests…` and
/// `/events`. `route` is the matched pattern (request::route). authenticate
/// applies it to every student call, whatever `access` the route asks for.
bool restricted_may_call(boost::beast::http::verb method,
                         std::string_view route);

/// The session token of a request: cookie `sid`, `Authorization: Bearer`,
/// or (for WebSocket upgrades) `?token=`.
std::optional<std::string> session_token(const request& req);

/// Whether the request carries the session only as a cookie (then a
/// state-changing call must carry `X-Requested-With: idclaim`).
bool authenticated_by_cookie(const request& req);

/// Resolves the caller, enforces `need` and the CSRF rule, then calls `next`
/// on a bridge actor; answers 401/403 itself when the caller may not pass.
void authenticate(const api_context_ptr& ctx, const request_ptr& req,
                  reply_fn reply, access need,
                  std::function<void(principal)> next);

/// The `Set-Cookie` value for a new session token.
std::string session_cookie(const std::string& token, std::size_t hours);

/// The `Set-Cookie` value that removes the session cookie.
std::string expired_session_cookie();

} // namespace idclaim::http
