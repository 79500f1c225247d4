#include "http/auth.hpp"

#include "crypto/tokens.hpp"
#include "http/actor_calls.hpp"

namespace idclaim::http {

namespace beast_http = boost::beast::http;

std::optional<std::string> session_token(const request& req) {
  if (auto auth = header(req, "Authorization")) {
    constexpr std::string_view prefix = "Bearer ";
    if (auth->size() > prefix.size() && auth->compare(0, prefix.size(), prefix) == 0)
      return auth->substr(prefix.size());
  }
  if (auto sid = cookie(req, "sid"))
    return sid;
  if (auto i = req.query.find("token"); i != req.query.end())
    return i->second;
  return std::nullopt;
}

bool authenticated_by_cookie(const request& req) {
  return !header(req, "Authorization") && cookie(req, "sid").has_value();
}

namespace {

bool changes_state(beast_http::verb v) {
  return v != beast_http::verb::get && v != beast_http::verb::head
         && v != beast_http::verb::options;
}

/// The principal, or the problem that stops it.
using lookup_result = std::variant<principal, problem>;

lookup_result lookup(storage::connection& conn, const std::string& digest,
                     int64_t now_ms) {
  auto session = conn.sessions().find(digest);
  if (!session || session->expires_ms <= now_ms)
    return make_problem(errc::unauthenticated);
  principal p{*session, std::nullopt, std::nullopt};
  if (session->kind == storage::subject_kind::account)
    p.account = conn.accounts().find(session->subject_id);
  else
    p.staff = conn.staff().find(session->subject_id);
  if (!p.account && !p.staff)
    return make_problem(errc::unauthenticated);
  return p;
}

/// Whether `route` is `prefix` or a path below it.
bool at_or_below(std::string_view route, std::string_view prefix) {
  return route == prefix
         || (route.size() > prefix.size()
             && route.compare(0, prefix.size(), prefix) == 0
             && route[prefix.size()] == '/');
}

std::optional<problem> check_access(const principal& p, access need,
                                    const request& req) {
  switch (need) {
    case access::account_any:
    case access::account_unrestricted:
      if (!p.account)
        return make_problem(errc::forbidden);
      if (p.account->status == account_status::cancelled)
        return make_problem(errc::account_cancelled, {},
                            p.account->cancel_reason);
      if (p.account->status == account_status::restricted
          && (need == access::account_unrestricted
              || !restricted_may_call(req.msg.method(), req.route)))
        return make_problem(errc::account_restricted);
      return std::nullopt;
    case access::reviewer:
      if (!p.staff || p.staff->role != storage::staff_role::reviewer)
        return make_problem(errc::forbidden);
      return std::nullopt;
    case access::operator_:
      if (!p.staff || p.staff->role != storage::staff_role::operator_)
        return make_problem(errc::forbidden);
      return std::nullopt;
  }
  return make_problem(errc::forbidden);
}

} // namespace

bool restricted_may_call(beast_http::verb method, std::string_view route) {
  if (route == "/api/v1/me")
    return true;
  if (route == "/api/v1/me/personal-info")
    return method == beast_http::verb::get;
  return at_or_below(route, "/api/v1/sessions")
         || at_or_below(route, "/api/v1/reviews")
         || at_or_below(route, "/api/v1/assist-requests")
         || route == "/api/v1/events";
}

void authenticate(const api_context_ptr& ctx, const request_ptr& req,
                  reply_fn reply, access need,
                  std::function<void(principal)> next) {
  auto token = session_token(*req);
  if (!token || token->empty())
    return reply(error_response(make_problem(errc::unauthenticated)));
  if (changes_state(req->msg.method()) && authenticated_by_cookie(*req)) {
    auto marker = header(*req, "X-Requested-With");
    if (!marker || *marker != "idclaim")
      return reply(error_response(make_problem(errc::csrf_missing)));
  }
  auto digest = crypto::token_digest(*token);
  auto now = ctx->time->now_ms();
  with_storage<lookup_result>(
    ctx, reply,
    [digest, now](storage::connection& conn) {
      return lookup(conn, digest, now);
    },
    [req, reply, need, next = std::move(next)](lookup_result r) {
      if (auto p = std::get_if<problem>(&r))
        return reply(error_response(*p));
      auto& who = std::get<principal>(r);
      if (auto denied = check_access(who, need, *req))
        return reply(error_response(*denied));
      next(std::move(who));
    });
}

std::string session_cookie(const std::string& token, std::size_t hours) {
  return "sid=" + token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age="
         + std::to_string(hours * 3600);
}

std::string expired_session_cookie() {
  return "sid=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
}

} // namespace idclaim::http
