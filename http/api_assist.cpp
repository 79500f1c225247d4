// 证件重复-用户协助 for the requester: the daily quota, sending a request,
// and the requests sent (API.md "Classmate assist").

#include "http/api_routes.hpp"

#include <boost/beast/http/field.hpp>

#include "actors/assist_transactions.hpp"
#include "domain/assist_rules.hpp"
#include "domain/fields.hpp"
#include "domain/masking.hpp"
#include "domain/shanghai_time.hpp"
#include "http/actor_calls.hpp"
#include "http/assist_views.hpp"
#include "http/auth.hpp"
#include "http/field_reader.hpp"
#include "http/id_input.hpp"
#include "http/json_body.hpp"
#include "http/service_metrics.hpp"

namespace idclaim::http {

namespace bh = boost::beast::http;

namespace {

/// The quota of the day `now` falls in (Asia/Shanghai).
struct quota_view {
  int64_t used = 0;
  int64_t resets_at_ms = 0;
};

int64_t next_midnight_ms(int64_t now_ms) {
  return to_ms(domain::next_shanghai_midnight(from_ms(now_ms)));
}

std::string day_of(int64_t now_ms) {
  return domain::to_string(domain::shanghai_date(from_ms(now_ms)));
}

nlohmann::json quota_json(const quota_view& q) {
  return {{"limit", domain::assist_daily_limit},
          {"used", q.used},
          {"remaining", std::max<int64_t>(0, domain::assist_daily_limit - q.used)},
          {"resets_at", domain::format_rfc3339_ms(q.resets_at_ms)}};
}

void quota(const api_context_ptr& ctx, request_ptr req, reply_fn reply) {
  authenticate(ctx, req, reply, access::account_any, [=](principal who) {
    auto now = ctx->time->now_ms();
    with_storage<quota_view>(
      ctx, reply,
      [id = who.account->id, now](storage::connection& conn) {
        return quota_view{conn.assist_quota().used(id, day_of(now)),
                          next_midnight_ms(now)};
      },
      [reply](quota_view q) { reply(json_response(200, quota_json(q))); });
  });
}

/// Reads the three fields of the form; a malformed one is not an attempt
/// and does not count against the quota.
std::optional<assist_attempt> read_attempt(const api_context& ctx,
                                           field_reader& fields,
                                           account_id requester) {
  auto name = fields.take(domain::parse_name(fields.text("classmate_name")),
                          "classmate_name");
  auto mobile = fields.take(
    domain::parse_mobile(fields.text("classmate_mobile")), "classmate_mobile");
  auto own = fields.take(domain::parse_mobile(fields.text("own_mobile")),
                         "own_mobile");
  if (!fields.ok())
    return std::nullopt;
  auto mobile_index = ctx.index->compute_all(mobile_index_domain, mobile);
  return assist_attempt{requester, name, mobile_index.current,
                        mobile_index.other,
                        ctx.cipher->seal(own, "assist.mobile")};
}

/// 429 ASSIST_DAILY_LIMIT says when the quota resets.
response limit_response(const api_context& ctx, const problem& p) {
  auto now = ctx.time->now_ms();
  auto resets = next_midnight_ms(now);
  auto res = error_response(p, {{"resets_at", domain::format_rfc3339_ms(resets)}});
  res.set(bh::field::retry_after, std::to_string((resets - now + 999) / 1000));
  return res;
}

void send(const api_context_ptr& ctx, request_ptr req, reply_fn reply) {
  authenticate(ctx, req, reply, access::account_any, [=](principal who) {
    if (who.account->status != account_status::restricted)
      return reply(error_response(actors::not_restricted_for_assist()));
    auto body = parse_json_object(*req);
    if (auto p = std::get_if<problem>(&body))
      return reply(error_response(*p));
    field_reader fields{std::get<nlohmann::json>(body)};
    auto attempt = read_attempt(*ctx, fields, who.account->id);
    if (!attempt)
      return reply(error_response(fields.error()));
    auto on_error = [ctx, reply](const caf::error& err) {
      auto p = to_problem(err);
      count_assist(*ctx, info(p.code).code);
      reply(p.code == errc::assist_daily_limit ? limit_response(*ctx, p)
                                               : error_response(p));
    };
    ctx->bridge->run([=, a = std::move(*attempt)](
                       caf::event_based_actor* self) mutable {
      self->request(ctx->accounts, ctx->timeout(), assist_atom_v, std::move(a))
        .then(
          [ctx, reply](assist_sent s) {
            count_assist(*ctx, "sent");
            reply(json_response(
              201,
              {{"request",
                {{"id", s.id},
                 {"state", "pending"},
                 {"sent_at", domain::format_rfc3339_ms(s.sent_ms)},
                 {"expires_at", domain::format_rfc3339_ms(s.expires_ms)}}},
               {"remaining", s.remaining}}));
          },
          [on_error](caf::error& err) { on_error(err); });
    });
  });
}

/// A sent request with its classmate's sealed name.
struct sent_request {
  storage::assist_row row;
  std::string classmate_name_cipher;
};

void mine(const api_context_ptr& ctx, request_ptr req, reply_fn reply) {
  authenticate(ctx, req, reply, access::account_any, [=](principal who) {
    with_storage<std::vector<sent_request>>(
      ctx, reply,
      [id = who.account->id](storage::connection& conn) {
        std::vector<sent_request> out;
        for (auto& r : conn.assists().by_requester(id, 100)) {
          auto mate = conn.accounts().find(r.classmate);
          out.push_back({r, mate ? mate->name_cipher : ""});
        }
        return out;
      },
      [ctx, reply](std::vector<sent_request> rows) {
        auto now = ctx->time->now_ms();
        auto items = nlohmann::json::array();
        for (auto& s : rows) {
          auto& r = s.row;
          auto state = effective_state(r, now);
          auto name = ctx->cipher->open(s.classmate_name_cipher, "account.name");
          items.push_back(
            {{"id", r.id},
             {"state", to_string(state)},
             {"result", result_text(state)},
             {"classmate", domain::mask_name(name.value_or(""))},
             {"sent_at", domain::format_rfc3339_ms(r.sent_ms)},
             {"expires_at", domain::format_rfc3339_ms(r.expires_ms)},
             {"processed_at", r.processed_ms ? nlohmann::json(domain::format_rfc3339_ms(*r.processed_ms))
                                             : nlohmann::json(nullptr)}});
        }
        reply(json_response(200, {{"items", items}}));
      });
  });
}

} // namespace

void add_assist_routes(router& r, const api_context_ptr& ctx) {
  r.add(bh::verb::get, "/api/v1/assist-requests/quota",
        [ctx](request_ptr req, reply_fn reply) { quota(ctx, req, reply); });
  r.add(bh::verb::post, "/api/v1/assist-requests",
        [ctx](request_ptr req, reply_fn reply) { send(ctx, req, reply); });
  r.add(bh::verb::get, "/api/v1/assist-requests/mine",
        [ctx](request_ptr req, reply_fn reply) { mine(ctx, req, reply); });
}

} // namespace idclaim::http
