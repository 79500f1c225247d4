// The account pages: 修改用户名, 修改密码, 查看/设置个人信息, 登录日志查询
// (SPEC §7, API.md "Sessions and account pages").

#include "http/api_routes.hpp"

#include <limits>

#include <caf/send.hpp>

#include "domain/fields.hpp"
#include "http/account_views.hpp"
#include "http/actor_calls.hpp"
#include "http/auth.hpp"
#include "http/context_handler.hpp"
#include "http/cpu_calls.hpp"
#include "http/field_reader.hpp"
#include "http/json_body.hpp"
#include "http/query.hpp"

namespace idclaim::http {

namespace bh = boost::beast::http;

namespace {

/// The most login-log lines one page shows, and the default.
constexpr int64_t max_log_page = 100;
constexpr int64_t default_log_page = 20;

/// An account as just stored, with its claim's sealed ID, for rendering.
struct stored_account {
  storage::account_row account;
  std::optional<std::string> id_cipher;
};

stored_account reload(storage::connection& conn, account_id id) {
  stored_account out;
  if (auto a = conn.accounts().find(id)) {
    out.account = std::move(*a);
    out.id_cipher = conn.claims().id_cipher(out.account.claim);
  }
  return out;
}

/// Parses the JSON body, answering the problem itself when there is one.
std::optional<nlohmann::json> body_of(const request& req,
                                      const reply_fn& reply) {
  auto body = parse_json_object(req);
  if (auto p = std::get_if<problem>(&body)) {
    reply(error_response(*p));
    return std::nullopt;
  }
  return std::get<nlohmann::json>(std::move(body));
}

/// PUT /api/v1/me/username: the password confirms; the new name must be
/// free (case-insensitively, I2). The account's own name in another case
/// is free to it.
void change_username(const api_context_ptr& ctx, request_ptr req,
                     reply_fn reply) {
  authenticate(ctx, req, reply, access::account_any, [=](principal who) {
    auto body = body_of(*req, reply);
    if (!body)
      return;
    field_reader fields{*body};
    auto name = fields.take(domain::parse_username(fields.text("new_username")),
                            "new_username");
    auto password = domain::normalize_password(fields.text("password"));
    if (!fields.ok())
      return reply(error_response(fields.error()));
    auto account = *who.account;
    verify_async(
      ctx, reply, account.password_hash, password,
      [ctx, reply, account, name](bool good) {
        if (!good)
          return reply(
            error_response(make_problem(errc::password_wrong, "password")));
        auto now = ctx->time->now_ms();
        with_storage<std::optional<storage::account_row>>(
          ctx, reply,
          [id = account.id, name, now](
            storage::connection& conn) -> std::optional<storage::account_row> {
            if (!conn.accounts().set_username(id, name.text, name.key, now))
              return std::nullopt;
            return conn.accounts().find(id);
          },
          [reply](std::optional<storage::account_row> changed) {
            if (!changed)
              return reply(error_response(
                make_problem(errc::username_taken, "new_username")));
            reply(json_response(200, {{"account", account_summary(*changed)}}));
          });
      });
  });
}

/// Stores the new hash and ends every other session of the account, then
/// closes those sessions' live sockets.
void store_password(const api_context_ptr& ctx, reply_fn reply,
                    const principal& who, std::string hash) {
  auto id = who.account->id;
  auto keep = who.session.token_digest;
  auto now = ctx->time->now_ms();
  with_storage<int64_t>(
    ctx, reply,
    [id, keep, hash = std::move(hash), now](storage::connection& conn) {
      conn.accounts().set_password_hash(id, hash, now);
      return conn.sessions().remove_others(storage::subject_kind::account, id,
                                           keep);
    },
    [ctx, reply, id, keep](int64_t ended) {
      caf::anon_send(ctx->accounts, close_atom_v, id,
                     session_close{keep, true});
      reply(json_response(200, {{"ok", true}, {"ended_sessions", ended}}));
    });
}

/// PUT /api/v1/me/password: the old password confirms, the new one follows
/// the registration rules, and the account's other sessions end.
void change_password(const api_context_ptr& ctx, request_ptr req,
                     reply_fn reply) {
  authenticate(ctx, req, reply, access::account_any, [=](principal who) {
    auto body = body_of(*req, reply);
    if (!body)
      return;
    field_reader fields{*body};
    auto old_password = domain::normalize_password(fields.text("old_password"));
    auto raw_new = fields.text("new_password");
    std::string new_password;
    if (fields.ok())
      new_password = fields.take(
        domain::parse_password(raw_new, who.account->username), "new_password");
    if (!fields.ok())
      return reply(error_response(fields.error()));
    auto stored = who.account->password_hash;
    verify_async(
      ctx, reply, stored, old_password,
      [ctx, reply, who, old_password, new_password](bool good) {
        if (!good)
          return reply(
            error_response(make_problem(errc::password_wrong, "old_password")));
        hash_async(ctx, reply, new_password,
                   [ctx, reply, who](std::string hash) {
                     store_password(ctx, reply, who, std::move(hash));
                   });
      });
  });
}

/// GET /api/v1/me/personal-info: every field in full, to the owner only.
void personal_info(const api_context_ptr& ctx, request_ptr req,
                   reply_fn reply) {
  authenticate(ctx, req, reply, access::account_any, [=](principal who) {
    with_storage<stored_account>(
      ctx, reply,
      [id = who.account->id](storage::connection& conn) {
        return reload(conn, id);
      },
      [ctx, reply](stored_account a) {
        reply(json_response(
          200, personal_info_json(*ctx->cipher, a.account, a.id_cipher)));
      });
  });
}

/// What PUT personal-info changes, sealed; nothing for fields not sent.
struct info_change {
  std::optional<std::string> email_cipher; ///< "" clears the email
  std::optional<std::string> mobile_cipher;
  std::string mobile_index;
};

/// Reads `email` (null or "" clears it) and `mobile` (refused once bound,
/// unless unchanged) from the body.
std::optional<info_change> read_info_change(const api_context& ctx,
                                            const nlohmann::json& body,
                                            const storage::account_row& a,
                                            const reply_fn& reply) {
  field_reader fields{body};
  info_change out;
  if (body.contains("email")) {
    auto email = fields.optional_text("email").value_or("");
    if (!email.empty())
      email = fields.take(domain::parse_email(email));
    out.email_cipher = email.empty() ? std::string{}
                                     : ctx.cipher->seal(email, "account.email");
  }
  if (auto raw = fields.optional_text("mobile")) {
    auto mobile = fields.take(domain::parse_mobile(*raw));
    // The stored index may be under either key during a rotation.
    auto index = ctx.index->compute_all(crypto::mobile_index_domain, mobile);
    if (fields.ok() && !index.matches(a.mobile_index)) {
      if (a.mobile_bound)
        fields.fail(make_problem(errc::mobile_already_bound, "mobile"));
      out.mobile_cipher = ctx.cipher->seal(mobile, "account.mobile");
      out.mobile_index = index.current;
    }
  }
  if (!fields.ok()) {
    reply(error_response(fields.error()));
    return std::nullopt;
  }
  return out;
}

/// PUT /api/v1/me/personal-info: 设置个人信息 (email; mobile before binding).
void set_personal_info(const api_context_ptr& ctx, request_ptr req,
                       reply_fn reply) {
  authenticate(ctx, req, reply, access::account_any, [=](principal who) {
    auto body = body_of(*req, reply);
    if (!body)
      return;
    auto change = read_info_change(*ctx, *body, *who.account, reply);
    if (!change)
      return;
    auto now = ctx->time->now_ms();
    with_storage<stored_account>(
      ctx, reply,
      [id = who.account->id, c = std::move(*change),
       now](storage::connection& conn) {
        if (c.email_cipher)
          conn.accounts().set_email(id, *c.email_cipher, now);
        if (c.mobile_cipher) {
          conn.accounts().set_mobile(id, *c.mobile_cipher, c.mobile_index,
                                     false, now);
          // The masked mobile of the open pages' account frame changed.
          conn.account_changed(id);
        }
        return reload(conn, id);
      },
      [ctx, reply](stored_account a) {
        reply(json_response(
          200, personal_info_json(*ctx->cipher, a.account, a.id_cipher)));
      });
  });
}

/// GET /api/v1/me/login-log?limit=&before=: newest first; `next` is the
/// `before` of the following page, present while there may be one.
void login_log(const api_context_ptr& ctx, request_ptr req, reply_fn reply) {
  authenticate(ctx, req, reply, access::account_any, [=](principal who) {
    auto limit
      = query_count(req->query, "limit", default_log_page, max_log_page);
    if (auto p = std::get_if<problem>(&limit))
      return reply(error_response(*p));
    if (std::get<int64_t>(limit) == 0)
      return reply(error_response(make_problem(errc::field_type, "limit")));
    auto before = query_count(req->query, "before", 0,
                              std::numeric_limits<int64_t>::max());
    if (auto p = std::get_if<problem>(&before))
      return reply(error_response(*p));
    auto n = std::get<int64_t>(limit);
    with_storage<std::vector<storage::login_row>>(
      ctx, reply,
      [id = who.account->id, from = std::get<int64_t>(before),
       n](storage::connection& conn) {
        return conn.login_log().page(id, from, n);
      },
      [reply, n](std::vector<storage::login_row> rows) {
        nlohmann::json items = nlohmann::json::array();
        for (auto& row : rows)
          items.push_back(login_item_json(row));
        nlohmann::json body{{"items", std::move(items)}};
        if (static_cast<int64_t>(rows.size()) == n)
          body["next"] = rows.back().id;
        reply(json_response(200, body));
      });
  });
}

} // namespace

void add_account_routes(router& r, const api_context_ptr& ctx) {
  r.add(bh::verb::put, "/api/v1/me/username",
        with_context(ctx, change_username));
  r.add(bh::verb::put, "/api/v1/me/password",
        with_context(ctx, change_password));
  r.add(bh::verb::get, "/api/v1/me/personal-info",
        with_context(ctx, personal_info));
  r.add(bh::verb::put, "/api/v1/me/personal-info",
        with_context(ctx, set_personal_info));
  r.add(bh::verb::get, "/api/v1/me/login-log", with_context(ctx, login_log));
}

} // namespace idclaim::http
