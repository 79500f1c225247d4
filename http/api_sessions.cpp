// Sessions (login, logout) and GET /api/v1/me.

#include "http/api_routes.hpp"

#include <chrono>
#include <memory>

#include <caf/send.hpp>

#include "crypto/tokens.hpp"
#include "domain/fields.hpp"
#include "domain/masking.hpp"
#include "http/account_views.hpp"
#include "http/actor_calls.hpp"
#include "http/auth.hpp"
#include "http/delayed_reply.hpp"
#include "http/field_reader.hpp"
#include "http/cpu_calls.hpp"
#include "http/json_body.hpp"
#include "http/login_throttle.hpp"

namespace idclaim::http {

namespace bh = boost::beast::http;

namespace {

/// Who a username belongs to, if anyone.
struct login_subject {
  std::optional<storage::account_row> account;
  std::optional<storage::staff_row> staff;

  const std::string& password_hash() const {
    static const std::string none;
    return account ? account->password_hash
                   : staff ? staff->password_hash : none;
  }
};

std::string client_of(const request& req) {
  auto agent = header(req, "User-Agent").value_or("");
  return agent.substr(0, 200);
}

/// Stores the new session and the login log line, then answers 200.
void finish_login(const api_context_ptr& ctx, request_ptr req, reply_fn reply,
                  login_subject who) {
  auto token = crypto::random_token();
  auto now = ctx->time->now_ms();
  storage::session_row s;
  s.token_digest = crypto::token_digest(token);
  s.kind = who.account ? storage::subject_kind::account
                       : storage::subject_kind::staff;
  s.subject_id = who.account ? who.account->id : who.staff->id;
  s.created_ms = now;
  s.expires_ms = now + static_cast<int64_t>(ctx->settings.session_hours)
                         * 3600 * 1000;
  storage::login_row log{0,
                         who.account ? std::optional{who.account->id}
                                     : std::nullopt,
                         now, req->remote_ip, client_of(*req), true};
  with_storage<bool>(
    ctx, reply,
    [s, log](storage::connection& conn) {
      conn.sessions().insert(s);
      conn.login_log().append(log);
      return true;
    },
    [ctx, reply, who, token](bool) {
      nlohmann::json body{{"token", token}};
      if (who.account)
        body["account"] = account_summary(*who.account);
      else
        body["staff"] = {{"id", who.staff->id},
                         {"username", who.staff->username},
                         {"role", storage::to_string(who.staff->role)}};
      auto res = json_response(200, body);
      res.set(bh::field::set_cookie,
              session_cookie(token, ctx->settings.session_hours));
      reply(std::move(res));
    });
}

/// Records a failed attempt against the username (in memory, known or not:
/// login_failures) and in the login log (unknown usernames too, without an
/// account, so that failures from an IP count), then answers 401.
void refuse_login(const api_context_ptr& ctx, request_ptr req, reply_fn reply,
                  const login_subject& who, const std::string& name_key) {
  ctx->login_names->record(name_key, ctx->time->now_ms());
  storage::login_row log{0,
                         who.account ? std::optional{who.account->id}
                                     : std::nullopt,
                         ctx->time->now_ms(), req->remote_ip, client_of(*req),
                         false};
  with_storage<bool>(
    ctx, reply,
    [log](storage::connection& conn) {
      conn.login_log().append(log);
      return true;
    },
    [reply](bool) {
      reply(error_response(make_problem(errc::bad_credentials)));
    });
}

/// The subject of a login and the failures from its IP.
struct login_lookup {
  login_subject who;
  int64_t ip_failures = 0;
};

/// 429 RATE_LIMITED: the attempt is logged as a failure, the password is
/// not checked.
void refuse_throttled(const api_context_ptr& ctx, request_ptr req,
                      reply_fn reply, const login_subject& who,
                      const std::string& name_key, int64_t retry_after_s) {
  refuse_login(
    ctx, req,
    [reply, retry_after_s](response) {
      auto res = error_response(make_problem(errc::rate_limited));
      res.set(bh::field::retry_after, std::to_string(retry_after_s));
      reply(std::move(res));
    },
    who, name_key);
}

/// The answer to a slowed attempt waits `delay` on an Asio timer, whatever
/// it is, so the delay tells nothing about the password.
reply_fn delayed(const api_context_ptr& ctx, reply_fn reply,
                 std::chrono::milliseconds delay) {
  if (delay.count() <= 0)
    return reply;
  return [ctx, reply, delay](response res) {
    auto shared = std::make_shared<response>(std::move(res));
    after(*ctx, delay, [reply, shared] { reply(std::move(*shared)); });
  };
}

void login(const api_context_ptr& ctx, request_ptr req, reply_fn reply) {
  auto body = parse_json_object(*req);
  if (auto p = std::get_if<problem>(&body))
    return reply(error_response(*p));
  field_reader fields{std::get<nlohmann::json>(body)};
  auto username = fields.text("username");
  // Registration hashed the NFKC form; verify the same form.
  auto password = domain::normalize_password(fields.text("password"));
  if (!fields.ok())
    return reply(error_response(fields.error()));
  auto key = domain::username_key(username);
  auto now = ctx->time->now_ms();
  auto since = now - static_cast<int64_t>(ctx->settings.login_window_seconds)
                       * 1000;
  with_storage<login_lookup>(
    ctx, reply,
    [key, ip = req->remote_ip, since](storage::connection& conn) {
      login_lookup out;
      auto& who = out.who;
      who.account = conn.accounts().find_by_username(key);
      if (!who.account)
        who.staff = conn.staff().find_by_username(key);
      out.ip_failures = conn.login_log().failures_from_ip(ip, since);
      return out;
    },
    [ctx, req, reply, password, key](login_lookup found) {
      // Counted by name, not by account: an unknown name locks exactly like
      // a known one, and (its hash burnt on a dummy) fails as slowly.
      auto name_failures = ctx->login_names->count(key, ctx->time->now_ms());
      auto verdict
        = judge_login(ctx->settings, name_failures, found.ip_failures);
      auto who = std::move(found.who);
      if (verdict.refuse)
        return refuse_throttled(ctx, req, reply, who, key,
                                verdict.retry_after_s);
      auto answer = delayed(ctx, reply, verdict.delay);
      auto stored = who.password_hash();
      verify_async(ctx, answer, stored, password,
                   [ctx, req, answer, who, key](bool good) {
                     if (!good)
                       return refuse_login(ctx, req, answer, who, key);
                     if (who.account
                         && who.account->status == account_status::cancelled)
                       return answer(error_response(
                         make_problem(errc::account_cancelled, {},
                                      who.account->cancel_reason),
                         {{"reason", who.account->cancel_reason}}));
                     finish_login(ctx, req, answer, who);
                   });
    });
}

/// Ends the caller's session, whether a student's or a staff member's.
void logout(const api_context_ptr& ctx, request_ptr req, reply_fn reply) {
  auto token = session_token(*req);
  if (!token)
    return reply(error_response(make_problem(errc::unauthenticated)));
  if (authenticated_by_cookie(*req)
      && header(*req, "X-Requested-With").value_or("") != "idclaim")
    return reply(error_response(make_problem(errc::csrf_missing)));
  auto digest = crypto::token_digest(*token);
  with_storage<std::optional<storage::session_row>>(
    ctx, reply,
    [digest](storage::connection& conn) {
      auto session = conn.sessions().find(digest);
      if (session)
        conn.sessions().remove(digest);
      return session;
    },
    [ctx, reply, digest](std::optional<storage::session_row> ended) {
      if (!ended)
        return reply(error_response(make_problem(errc::unauthenticated)));
      // The session's live sockets close with it.
      if (ended->kind == storage::subject_kind::account)
        caf::anon_send(ctx->accounts, close_atom_v, ended->subject_id,
                       session_close{digest, false});
      auto res = json_response(200, {{"ok", true}});
      res.set(bh::field::set_cookie, expired_session_cookie());
      reply(std::move(res));
    });
}

/// GET /api/v1/me: the account with every personal field masked.
void me(const api_context_ptr& ctx, request_ptr req, reply_fn reply) {
  authenticate(ctx, req, reply, access::account_any, [ctx,
                                                      reply](principal who) {
    auto account = *who.account;
    with_storage<std::optional<std::string>>(
      ctx, reply,
      [claim = account.claim](storage::connection& conn) {
        return conn.claims().id_cipher(claim);
      },
      [ctx, reply, account](std::optional<std::string> id_cipher) {
        auto& c = *ctx->cipher;
        auto name = c.open(account.name_cipher, "account.name").value_or("");
        auto mobile
          = c.open(account.mobile_cipher, "account.mobile").value_or("");
        auto id = split_claim_text(
          id_cipher ? c.open(*id_cipher, "claim.id_number").value_or("")
                    : std::string{});
        reply(json_response(
          200, {{"id", account.id},
                {"username", account.username},
                {"status", to_string(account.status)},
                {"name", domain::mask_name(name)},
                {"id_type", id.first},
                {"id_number", domain::mask_id(id.second)},
                {"mobile", domain::mask_mobile(mobile)},
                {"mobile_bound", account.mobile_bound},
                {"military_registered", account.military_registered},
                {"grad_exam_registered", account.grad_exam_registered}}));
      });
  });
}

} // namespace

void add_session_routes(router& r, const api_context_ptr& ctx) {
  r.add(bh::verb::post, "/api/v1/sessions",
        [ctx](request_ptr req, reply_fn reply) { login(ctx, req, reply); });
  r.add(bh::verb::delete_, "/api/v1/sessions/current",
        [ctx](request_ptr req, reply_fn reply) {
          logout(ctx, req, reply);
        });
  r.add(bh::verb::get, "/api/v1/me",
        [ctx](request_ptr req, reply_fn reply) { me(ctx, req, reply); });
}

} // namespace idclaim::http
