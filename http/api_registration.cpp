// POST /api/v1/id-checks and POST /api/v1/accounts (SPEC §4).

#include "http/api_routes.hpp"

#include "domain/fields.hpp"
#include "domain/masking.hpp"
#include "http/actor_calls.hpp"
#include "http/id_input.hpp"
#include "http/json_body.hpp"
#include "http/cpu_calls.hpp"

namespace idclaim::http {

namespace verb = boost::beast::http;

namespace {

std::string_view check_text(claim_check c) {
  switch (c) {
    case claim_check::free:
      return "free";
    case claim_check::registered:
      return "registered";
    case claim_check::under_review:
      return "under_review";
  }
  return "free";
}

/// API.md: a refusal on a held ID also points to login and 找回用户名.
response registration_error(const problem& p) {
  if (p.code == errc::id_already_registered || p.code == errc::id_under_review)
    return error_response(p, {{"hints", {"login", "recover_username"}}});
  return error_response(p);
}

void id_check(const api_context_ptr& ctx, request_ptr req, reply_fn reply) {
  auto body = parse_json_object(*req);
  if (auto p = std::get_if<problem>(&body))
    return reply(error_response(*p));
  field_reader fields{std::get<nlohmann::json>(body)};
  auto input = read_id_input(*ctx, fields);
  if (!fields.ok())
    return reply(error_response(fields.error()));
  auto masked = domain::mask_id(input.id.number);
  ask<claim_check>(
    ctx, reply, ctx->claims,
    [reply, masked](claim_check state) {
      reply(json_response(200, {{"state", check_text(state)},
                                {"normalized", masked}}));
    },
    check_atom_v, input.claim_key, input.other_claim_key);
}

/// Validates every field of a registration and seals the personal ones.
/// The password is left in `password` for hashing.
registration read_registration(const api_context& ctx, field_reader& fields,
                               std::string& password) {
  registration reg;
  auto username = fields.take(domain::parse_username(fields.text("username")));
  auto raw_password = fields.text("password");
  if (fields.ok())
    password = fields.take(domain::parse_password(raw_password, username.text));
  auto name = fields.take(domain::parse_name(fields.text("name")));
  auto id = read_id_input(ctx, fields);
  auto mobile = fields.take(domain::parse_mobile(fields.text("mobile")));
  auto email = fields.optional_text("email");
  if (email && !email->empty())
    email = fields.take(domain::parse_email(*email));
  reg.acknowledge_duplicate = fields.flag("acknowledge_duplicate");
  if (!fields.ok())
    return reg;
  auto& seal = *ctx.cipher;
  reg.username = username.text;
  reg.username_key = username.key;
  reg.name_cipher = seal.seal(name, "account.name");
  reg.claim_key = id.claim_key;
  reg.other_claim_key = id.other_claim_key;
  reg.id_cipher = seal.seal(domain::claim_text(id.id), "claim.id_number");
  reg.mobile_cipher = seal.seal(mobile, "account.mobile");
  reg.mobile_index = ctx.index->compute(mobile_index_domain, mobile);
  if (email && !email->empty())
    reg.email_cipher = seal.seal(*email, "account.email");
  return reg;
}

void create_account(const api_context_ptr& ctx, request_ptr req,
                    reply_fn reply) {
  auto body = parse_json_object(*req);
  if (auto p = std::get_if<problem>(&body))
    return reply(error_response(*p));
  field_reader fields{std::get<nlohmann::json>(body)};
  std::string password;
  auto reg = read_registration(*ctx, fields, password);
  if (!fields.ok())
    return reply(error_response(fields.error()));
  // Hash first, outside the claim actor: the per-ID critical section then
  // holds only the decision and the write.
  hash_async(ctx, reply, std::move(password),
             [ctx, reply, reg = std::move(reg)](std::string hash) mutable {
               reg.password_hash = std::move(hash);
               auto on_error = [reply](caf::error& err) {
                 reply(registration_error(to_problem(err)));
               };
               ctx->bridge->run([ctx, reply, on_error,
                                 reg = std::move(reg)](
                                  caf::event_based_actor* self) mutable {
                 self
                   ->request(ctx->claims, ctx->timeout(), register_atom_v,
                             std::move(reg))
                   .then(
                     [reply](registration_result& r) {
                       nlohmann::json account{
                         {"id", r.id},
                         {"username", r.username},
                         {"status", to_string(r.status)}};
                       reply(json_response(201, {{"account", account}}));
                     },
                     on_error);
               });
             });
}

} // namespace

void add_registration_routes(router& r, const api_context_ptr& ctx) {
  r.add(verb::verb::post, "/api/v1/id-checks",
        [ctx](request_ptr req, reply_fn reply) {
          id_check(ctx, std::move(req), std::move(reply));
        });
  r.add(verb::verb::post, "/api/v1/accounts",
        [ctx](request_ptr req, reply_fn reply) {
          create_account(ctx, std::move(req), std::move(reply));
        });
}

} // namespace idclaim::http
