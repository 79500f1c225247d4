// 证件重复-客服审核 for the claimant: the warning, submitting the photos,
// and the claimant's own cases (API.md "Customer-service review").

#include "http/api_routes.hpp"

#include "domain/photo_check.hpp"
#include "domain/shanghai_time.hpp"
#include "http/actor_calls.hpp"
#include "http/auth.hpp"
#include "http/cpu_calls.hpp"
#include "http/multipart.hpp"
#include "http/review_views.hpp"

namespace idclaim::http {

namespace bh = boost::beast::http;

namespace {

/// Room for two photos at the limit plus the multipart framing.
constexpr std::size_t review_body_limit = 2 * domain::max_photo_bytes + 16384;

void warning(const api_context_ptr& ctx, request_ptr req, reply_fn reply) {
  authenticate(ctx, req, reply, access::account_any,
               [ctx, reply](principal who) {
                 auto me = *who.account;
                 with_storage<holder_flags>(
                   ctx, reply,
                   [me](storage::connection& conn) {
                     return holder_flags_of(conn, me.claim, me.id);
                   },
                   [reply](holder_flags f) {
                     reply(json_response(200, warning_json(f)));
                   });
               });
}

/// The two photos of a submission after the checks, sealed.
struct checked_photos {
  std::optional<problem> refusal;
  review_submission submission;
};

/// Checks one photo part and seals it into `type` and `cipher`.
std::optional<problem> check_side(const api_context& ctx,
                                  const std::vector<multipart_part>& parts,
                                  const char* side, std::string& type,
                                  std::string& cipher) {
  auto* part = find_part(parts, side);
  auto checked = domain::check_photo(part ? part->data : "", side);
  if (auto p = std::get_if<problem>(&checked))
    return *p;
  type = domain::content_type(std::get<domain::photo_format>(checked));
  cipher = ctx.cipher->seal(part->data, "review.photo");
  return std::nullopt;
}

/// Parses the multipart body and checks and seals both photos. CPU work:
/// runs on the CPU pool.
std::optional<problem> check_photos(const api_context& ctx, const request& req,
                                    review_submission& sub) {
  auto boundary = multipart_boundary(
    header(req, "Content-Type").value_or(""));
  if (auto p = std::get_if<problem>(&boundary))
    return *p;
  auto parts = parse_multipart(req.msg.body(), std::get<std::string>(boundary));
  if (auto p = std::get_if<problem>(&parts))
    return *p;
  auto& all = std::get<std::vector<multipart_part>>(parts);
  if (auto p = check_side(ctx, all, "front", sub.front_type, sub.front_cipher))
    return p;
  return check_side(ctx, all, "back", sub.back_type, sub.back_cipher);
}

void submit(const api_context_ptr& ctx, request_ptr req, reply_fn reply) {
  authenticate(
    ctx, req, reply, access::account_any, [ctx, req, reply](principal who) {
      if (who.account->status != account_status::restricted)
        return reply(error_response(make_problem(errc::not_restricted)));
      auto out = std::make_shared<checked_photos>();
      out->submission.account = who.account->id;
      out->submission.claim_key = who.account->claim_key;
      cpu_async(
        ctx, reply,
        [ctx, req, out] {
          out->refusal = check_photos(*ctx, *req, out->submission);
        },
        [ctx, reply, out] {
          if (out->refusal)
            return reply(error_response(*out->refusal));
          ask<review_opened>(
            ctx, reply, ctx->claims,
            [reply](review_opened r) {
              reply(json_response(
                201, {{"review",
                       {{"id", r.id},
                        {"state", "open"},
                        {"submitted_at",
                         domain::format_rfc3339_ms(r.submitted_ms)}}}}));
            },
            review_atom_v, std::move(out->submission));
        });
    });
}

void mine(const api_context_ptr& ctx, request_ptr req, reply_fn reply) {
  authenticate(
    ctx, req, reply, access::account_any, [ctx, reply](principal who) {
      with_storage<std::vector<storage::review_row>>(
        ctx, reply,
        [id = who.account->id](storage::connection& conn) {
          return conn.reviews().by_account(id);
        },
        [reply](std::vector<storage::review_row> rows) {
          auto items = nlohmann::json::array();
          for (auto& r : rows) {
            nlohmann::json item{
              {"id", r.id},
              {"state", claimant_state(r.state)},
              {"reason", r.reason},
              {"submitted_at", domain::format_rfc3339_ms(r.submitted_ms)},
              {"closed_at", nullptr}};
            if (r.closed_ms)
              item["closed_at"] = domain::format_rfc3339_ms(*r.closed_ms);
            items.push_back(std::move(item));
          }
          reply(json_response(200, {{"items", items}}));
        });
    });
}

} // namespace

void add_review_routes(router& r, const api_context_ptr& ctx) {
  r.add(bh::verb::get, "/api/v1/reviews/warning",
        [ctx](request_ptr req, reply_fn reply) { warning(ctx, req, reply); });
  route_options upload;
  upload.body_limit = review_body_limit;
  r.add(
    bh::verb::post, "/api/v1/reviews",
    [ctx](request_ptr req, reply_fn reply) { submit(ctx, req, reply); },
    upload);
  r.add(bh::verb::get, "/api/v1/reviews/mine",
        [ctx](request_ptr req, reply_fn reply) { mine(ctx, req, reply); });
}

} // namespace idclaim::http
