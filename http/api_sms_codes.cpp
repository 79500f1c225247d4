// 实名绑定 (bind a mobile by SMS code) and 找回用户名 (recover usernames by
// ID number, name and an SMS code to the bound mobile): SPEC §7, API.md
// "Sessions and account pages".

#include "http/api_routes.hpp"

#include <chrono>

#include <caf/send.hpp>

#include "actors/sms_code_transactions.hpp"
#include "crypto/tokens.hpp"
#include "domain/fields.hpp"
#include "domain/masking.hpp"
#include "domain/notices.hpp"
#include "http/actor_calls.hpp"
#include "http/auth.hpp"
#include "http/context_handler.hpp"
#include "http/delayed_reply.hpp"
#include "http/field_reader.hpp"
#include "http/id_input.hpp"
#include "http/json_body.hpp"

namespace idclaim::http {

namespace bh = boost::beast::http;

namespace {

/// Digits in a code.
constexpr int code_length = 6;

/// The rules are the issue's, not settings: the UI text states them.
const actors::sms_code_rules rules{};

/// What a sent code's answer says (the same for both flows, and for a
/// recovery that matched nothing).
nlohmann::json code_sent_body() {
  return {{"accepted", true}, {"expires_in_seconds", rules.ttl_ms / 1000}};
}

/// 429 SMS_TOO_FREQUENT with the seconds until the next send is allowed.
response too_frequent(int64_t retry_after_s) {
  auto res = error_response(make_problem(errc::sms_too_frequent, "mobile"));
  res.set(bh::field::retry_after, std::to_string(retry_after_s));
  return res;
}

/// A typed code: exactly six digits, else it cannot match anything.
bool well_formed_code(const std::string& code) {
  return code.size() == code_length
         && code.find_first_not_of("0123456789") == std::string::npos;
}

/// Reads a JSON body into `fields`' source, or answers its problem.
std::optional<nlohmann::json> body_of(const request& req,
                                      const reply_fn& reply) {
  auto body = parse_json_object(req);
  if (auto p = std::get_if<problem>(&body)) {
    reply(error_response(*p));
    return std::nullopt;
  }
  return std::get<nlohmann::json>(std::move(body));
}

// -- 实名绑定 ----------------------------------------------------------------

/// POST /api/v1/me/phone-binding/code {mobile}: sends a code to `mobile`.
void bind_code(const api_context_ptr& ctx, request_ptr req, reply_fn reply) {
  authenticate(ctx, req, reply, access::account_any, [=](principal who) {
    auto body = body_of(*req, reply);
    if (!body)
      return;
    field_reader fields{*body};
    auto mobile = fields.take(domain::parse_mobile(fields.text("mobile")));
    if (!fields.ok())
      return reply(error_response(fields.error()));
    if (who.account->mobile_bound)
      return reply(error_response(make_problem(errc::mobile_already_bound)));
    auto code = crypto::random_digits(code_length);
    storage::sms_code_row row;
    row.purpose = std::string{actors::bind_purpose};
    auto mobile_index = ctx->index->compute_all(mobile_index_domain, mobile);
    row.mobile_index = mobile_index.current;
    row.account = who.account->id;
    row.code_digest
      = actors::sms_code_digest(*ctx->index, actors::bind_purpose, code);
    auto now = ctx->time->now_ms();
    with_storage<std::optional<actors::send_refusal>>(
      ctx, reply,
      [row, other = mobile_index.other, now](storage::connection& conn) {
        return actors::store_code(conn, row, now, rules, other);
      },
      [ctx, reply, mobile, code,
       now](std::optional<actors::send_refusal> refused) {
        if (refused)
          return reply(too_frequent(refused->retry_after_s));
        caf::anon_send(
          ctx->sms, sms_atom_v,
          std::vector<sms_message>{sms_message{
            mobile, domain::sms_code_text(code, actors::bind_purpose), code,
            now}});
        reply(json_response(202, code_sent_body()));
      });
  });
}

/// POST /api/v1/me/phone-binding {mobile, code}: binds the mobile.
void bind(const api_context_ptr& ctx, request_ptr req, reply_fn reply) {
  authenticate(ctx, req, reply, access::account_any, [=](principal who) {
    auto body = body_of(*req, reply);
    if (!body)
      return;
    field_reader fields{*body};
    auto mobile = fields.take(domain::parse_mobile(fields.text("mobile")));
    auto code = fields.text("code");
    if (!fields.ok())
      return reply(error_response(fields.error()));
    if (who.account->mobile_bound)
      return reply(error_response(make_problem(errc::mobile_already_bound)));
    if (!well_formed_code(code))
      return reply(
        error_response(make_problem(errc::sms_code_invalid, "code")));
    // A code sent before an index-key rotation is under the old key.
    auto index = ctx->index->compute_all(mobile_index_domain, mobile);
    auto digest
      = actors::sms_code_digests(*ctx->index, actors::bind_purpose, code);
    auto cipher = ctx->cipher->seal(mobile, "account.mobile");
    auto now = ctx->time->now_ms();
    with_storage<bool>(
      ctx, reply,
      [id = who.account->id, index, digest, cipher,
       now](storage::connection& conn) {
        if (!actors::redeem_code(conn, actors::bind_purpose, index, id, digest,
                                 now, rules))
          return false;
        conn.accounts().set_mobile(id, cipher, index.current, true, now);
        // The account's open pages get the new account frame (masked).
        conn.account_changed(id);
        return true;
      },
      [reply, mobile](bool bound) {
        if (!bound)
          return reply(
            error_response(make_problem(errc::sms_code_invalid, "code")));
        reply(json_response(200, {{"mobile_bound", true},
                                  {"mobile", domain::mask_mobile(mobile)}}));
      });
  });
}

// -- 找回用户名 ---------------------------------------------------------------

/// Reads `{id_type, id_number, name}` into a recovery request (its code
/// and digest still empty); problems go to `fields`.
actors::recovery_request read_recovery(const api_context& ctx,
                                       field_reader& fields) {
  actors::recovery_request out;
  auto id = read_id_input(ctx, fields);
  out.name = fields.take(domain::parse_name(fields.text("name")));
  out.claim_key = id.claim_key;
  out.other_claim_key = id.other_claim_key;
  return out;
}

/// POST /api/v1/username-recovery/code: 202 with the same body whether or
/// not anything matched, after the same work (the code and its digest are
/// always made, the same lookup always runs) and no sooner than
/// `recovery_min_ms` after the request, so neither the answer nor its time
/// tells whether the ID is registered.
void recovery_code(const api_context_ptr& ctx, request_ptr req,
                   reply_fn reply) {
  auto started = std::chrono::steady_clock::now();
  auto body = body_of(*req, reply);
  if (!body)
    return;
  field_reader fields{*body};
  auto ask = read_recovery(*ctx, fields);
  if (!fields.ok())
    return reply(error_response(fields.error()));
  ask.code = crypto::random_digits(code_length);
  ask.digest
    = actors::sms_code_digests(*ctx->index, actors::recover_purpose, ask.code);
  actors::txn_env env{ctx->time->now_ms(), ctx->cipher};
  env.index = ctx->index;
  auto effects = std::make_shared<actors::txn_effects>();
  with_storage<bool>(
    ctx, reply,
    [ask, env, effects](storage::connection& conn) {
      actors::run_recovery_code(conn, ask, env, rules, *effects);
      return true;
    },
    [ctx, reply, effects, started](bool) {
      if (!effects->sms.empty())
        caf::anon_send(ctx->sms, sms_atom_v, std::move(effects->sms));
      auto spent = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
      auto floor = std::chrono::milliseconds{ctx->settings.recovery_min_ms};
      after(*ctx, floor - spent,
            [reply] { reply(json_response(202, code_sent_body())); });
    });
}

/// POST /api/v1/username-recovery {id_type, id_number, name, code}:
/// the masked usernames whose bound mobile received `code`.
void recover(const api_context_ptr& ctx, request_ptr req, reply_fn reply) {
  auto body = body_of(*req, reply);
  if (!body)
    return;
  field_reader fields{*body};
  auto ask = read_recovery(*ctx, fields);
  ask.code = fields.text("code");
  if (!fields.ok())
    return reply(error_response(fields.error()));
  if (!well_formed_code(ask.code))
    return reply(error_response(make_problem(errc::sms_code_invalid, "code")));
  ask.digest
    = actors::sms_code_digests(*ctx->index, actors::recover_purpose, ask.code);
  actors::txn_env env{ctx->time->now_ms(), ctx->cipher};
  env.index = ctx->index;
  with_storage<std::vector<std::string>>(
    ctx, reply,
    [ask, env](storage::connection& conn) {
      return actors::run_recovery_check(conn, ask, env, rules);
    },
    [reply](std::vector<std::string> names) {
      if (names.empty())
        return reply(
          error_response(make_problem(errc::sms_code_invalid, "code")));
      nlohmann::json masked = nlohmann::json::array();
      for (auto& n : names)
        masked.push_back(domain::mask_username(n));
      reply(json_response(200, {{"usernames", masked}}));
    });
}

} // namespace

void add_sms_code_routes(router& r, const api_context_ptr& ctx) {
  r.add(bh::verb::post, "/api/v1/me/phone-binding/code",
        with_context(ctx, bind_code));
  r.add(bh::verb::post, "/api/v1/me/phone-binding", with_context(ctx, bind));
  r.add(bh::verb::post, "/api/v1/username-recovery/code",
        with_context(ctx, recovery_code));
  r.add(bh::verb::post, "/api/v1/username-recovery",
        with_context(ctx, recover));
}

} // namespace idclaim::http
