// The reviewer's side of 证件重复-客服审核: the queue, a case with its photos,
// history and the holder warning, approve and reject.

#include "http/api_routes.hpp"

#include "domain/fields.hpp"
#include "domain/masking.hpp"
#include "domain/shanghai_time.hpp"
#include "http/actor_calls.hpp"
#include "http/auth.hpp"
#include "http/field_reader.hpp"
#include "http/json_body.hpp"
#include "http/query.hpp"
#include "http/review_views.hpp"

namespace idclaim::http {

namespace bh = boost::beast::http;

namespace {

constexpr int64_t default_page = 50;
constexpr int64_t max_page = 200;
constexpr int64_t max_offset = 1'000'000;

std::optional<int64_t> case_id_of(const request& req) {
  auto i = req.params.find("id");
  return i == req.params.end() ? std::nullopt : parse_count(i->second);
}

std::optional<storage::review_state> parse_state(std::string_view text) {
  for (auto s : {storage::review_state::open, storage::review_state::approved,
                 storage::review_state::rejected, storage::review_state::void_})
    if (to_string(s) == text)
      return s;
  return std::nullopt;
}

std::string sealed_text(const api_context& ctx, const std::string& cipher,
                        std::string_view context) {
  return ctx.cipher->open(cipher, context).value_or("");
}

// -- the queue ----------------------------------------------------------------

/// One row of the queue with what the reviewer sees of its claimant.
struct queue_entry {
  storage::review_row review;
  std::string username;
  std::string name_cipher;
  holder_flags holder;
};

struct queue_page {
  std::vector<queue_entry> entries;
  int64_t open_total = 0;
};

void list(const api_context_ptr& ctx, request_ptr req, reply_fn reply) {
  auto state = parse_state(
    req->query.count("state") ? req->query.at("state") : "open");
  if (!state)
    return reply(error_response(make_problem(errc::field_type, "state")));
  auto limit = query_count(req->query, "limit", default_page, max_page);
  auto offset = query_count(req->query, "offset", 0, max_offset);
  for (auto* v : {&limit, &offset})
    if (auto p = std::get_if<problem>(v))
      return reply(error_response(*p));
  auto page_size = std::max<int64_t>(1, std::get<int64_t>(limit));
  auto first = std::get<int64_t>(offset);
  authenticate(ctx, req, reply, access::reviewer, [=](principal) {
    with_storage<queue_page>(
      ctx, reply,
      [state, page_size, first](storage::connection& conn) {
        queue_page page;
        auto rows = *state == storage::review_state::open
                      ? conn.reviews().queue(page_size, first)
                      : conn.reviews().closed(*state, page_size, first);
        for (auto& r : rows) {
          auto who = conn.accounts().find(r.account);
          page.entries.push_back(
            {r, who ? who->username : "", who ? who->name_cipher : "",
             holder_flags_of(conn, r.claim, r.account)});
        }
        page.open_total = conn.reviews().open_count();
        return page;
      },
      [ctx, reply, first](queue_page page) {
        auto now = ctx->time->now_ms();
        auto items = nlohmann::json::array();
        int64_t position = first;
        for (auto& e : page.entries) {
          auto& r = e.review;
          items.push_back(
            {{"id", r.id},
             {"position", ++position},
             {"state", to_string(r.state)},
             {"submitted_at", domain::format_rfc3339_ms(r.submitted_ms)},
             {"age_seconds", (now - r.submitted_ms) / 1000},
             {"claimant",
              {{"id", r.account},
               {"username", e.username},
               {"name", domain::mask_name(
                          sealed_text(*ctx, e.name_cipher, "account.name"))}}},
             {"warning", warning_json(e.holder)}});
        }
        reply(json_response(
          200, {{"items", items}, {"open_total", page.open_total}}));
      });
  });
}

// -- one case -----------------------------------------------------------------

struct case_detail {
  std::optional<storage::review_row> review;
  std::optional<storage::account_row> claimant;
  std::optional<storage::account_row> holder;
  std::optional<std::string> id_cipher;
  std::vector<storage::claim_event> events;
};

nlohmann::json person_json(const api_context& ctx,
                           const storage::account_row& a, bool full) {
  auto name = sealed_text(ctx, a.name_cipher, "account.name");
  return {{"id", a.id},
          {"username", a.username},
          {"status", to_string(a.status)},
          {"name", full ? name : domain::mask_name(name)},
          {"military_registered", a.military_registered},
          {"grad_exam_registered", a.grad_exam_registered}};
}

nlohmann::json detail_json(const api_context& ctx, const case_detail& d,
                           int64_t now_ms) {
  auto& r = *d.review;
  // The reviewer working the case sees the ID number and the claimant's
  // name in full (API.md masking rule); the holder stays masked.
  auto claim_text = d.id_cipher ? sealed_text(ctx, *d.id_cipher,
                                              "claim.id_number")
                                : std::string{};
  auto colon = claim_text.find(':');
  nlohmann::json out{
    {"id", r.id},
    {"state", to_string(r.state)},
    {"reason", r.reason},
    {"submitted_at", domain::format_rfc3339_ms(r.submitted_ms)},
    {"closed_at", r.closed_ms ? nlohmann::json(domain::format_rfc3339_ms(
                                  *r.closed_ms))
                              : nlohmann::json(nullptr)},
    {"age_seconds", (now_ms - r.submitted_ms) / 1000},
    {"id_type", claim_text.substr(0, colon)},
    {"id_number",
     colon == std::string::npos ? "" : claim_text.substr(colon + 1)},
    {"claimant", d.claimant ? person_json(ctx, *d.claimant, true)
                            : nlohmann::json(nullptr)},
    {"holder", d.holder ? person_json(ctx, *d.holder, false)
                        : nlohmann::json(nullptr)},
    {"warning", warning_json({d.holder && d.holder->military_registered,
                              d.holder && d.holder->grad_exam_registered})},
    {"photos",
     {{"front", "/api/v1/admin/reviews/" + std::to_string(r.id)
                  + "/photos/front"},
      {"back", "/api/v1/admin/reviews/" + std::to_string(r.id)
                 + "/photos/back"}}}};
  auto events = nlohmann::json::array();
  for (auto& e : d.events)
    events.push_back({{"at", domain::format_rfc3339_ms(e.at_ms)},
                      {"kind", e.kind},
                      {"account_id", e.account ? nlohmann::json(*e.account)
                                               : nlohmann::json(nullptr)},
                      {"staff_id", e.staff ? nlohmann::json(*e.staff)
                                           : nlohmann::json(nullptr)},
                      {"detail", e.detail}});
  out["events"] = std::move(events);
  return out;
}

void detail(const api_context_ptr& ctx, request_ptr req, reply_fn reply) {
  auto id = case_id_of(*req);
  if (!id)
    return reply(error_response(make_problem(errc::not_found)));
  authenticate(ctx, req, reply, access::reviewer, [=](principal) {
    with_storage<case_detail>(
      ctx, reply,
      [id](storage::connection& conn) {
        case_detail d;
        d.review = conn.reviews().find(*id);
        if (!d.review)
          return d;
        d.claimant = conn.accounts().find(d.review->account);
        auto state = conn.claims().state(d.review->claim);
        if (state.holder && *state.holder != d.review->account)
          d.holder = conn.accounts().find(*state.holder);
        d.id_cipher = conn.claims().id_cipher(d.review->claim);
        d.events = conn.claims().events(d.review->claim);
        return d;
      },
      [ctx, reply](case_detail d) {
        if (!d.review)
          return reply(error_response(make_problem(errc::not_found)));
        reply(json_response(200, detail_json(*ctx, d, ctx->time->now_ms())));
      });
  });
}

// -- photos -------------------------------------------------------------------

struct photo_lookup {
  std::optional<storage::review_row> review;
  std::optional<storage::review_photo> photo;
};

void photo(const api_context_ptr& ctx, request_ptr req, reply_fn reply) {
  auto id = case_id_of(*req);
  auto side = req->params.at("side");
  if (!id || (side != "front" && side != "back"))
    return reply(error_response(make_problem(errc::not_found)));
  authenticate(ctx, req, reply, access::reviewer, [=](principal who) {
    with_storage<photo_lookup>(
      ctx, reply,
      [id, side](storage::connection& conn) {
        photo_lookup out;
        out.review = conn.reviews().find(*id);
        if (out.review)
          out.photo = conn.reviews().photo(*id, side);
        return out;
      },
      [ctx, reply, staff = who.staff->id](photo_lookup found) {
        if (!found.review || !found.photo)
          return reply(error_response(make_problem(errc::not_found)));
        // Photos are for the reviewer working the case: anyone on the queue
        // while it is open, afterwards only the reviewer who closed it.
        bool open = found.review->state == storage::review_state::open;
        if (!open && found.review->closed_by_staff != staff)
          return reply(error_response(make_problem(errc::forbidden)));
        auto bytes = ctx->cipher->open(found.photo->cipher, "review.photo");
        if (!bytes)
          return reply(error_response(make_problem(errc::internal)));
        response res{bh::status::ok, 11};
        res.set(bh::field::content_type, found.photo->content_type);
        res.set(bh::field::cache_control, "no-store");
        res.set("X-Content-Type-Options", "nosniff");
        res.set(bh::field::content_disposition, "inline");
        res.body() = std::move(*bytes);
        reply(std::move(res));
      });
  });
}

// -- decisions ------------------------------------------------------------------

/// Finds a case's claim key, then lets `decide(key)` ask the claim actor.
void with_case_claim(const api_context_ptr& ctx, reply_fn reply, int64_t id,
                     std::function<void(std::string)> decide) {
  with_storage<std::optional<std::string>>(
    ctx, reply,
    [id](storage::connection& conn) -> std::optional<std::string> {
      auto r = conn.reviews().find(id);
      if (!r)
        return std::nullopt;
      return conn.claims().key_of(r->claim);
    },
    [reply, decide = std::move(decide)](std::optional<std::string> key) {
      if (!key)
        return reply(error_response(make_problem(errc::not_found)));
      decide(std::move(*key));
    });
}

void approve(const api_context_ptr& ctx, request_ptr req, reply_fn reply) {
  auto id = case_id_of(*req);
  if (!id)
    return reply(error_response(make_problem(errc::not_found)));
  authenticate(ctx, req, reply, access::reviewer, [=](principal who) {
    with_case_claim(ctx, reply, *id, [=](std::string key) {
      ask<resolution_result>(
        ctx, reply, ctx->claims,
        [reply, id](resolution_result r) {
          reply(json_response(
            200, {{"review", {{"id", *id}, {"state", "approved"}}},
                  {"winner", r.winner},
                  {"cancelled", r.cancelled}}));
        },
        settle_atom_v,
        resolution_request{key, resolution_path::review, *id,
                           who.staff->id});
    });
  });
}

void reject(const api_context_ptr& ctx, request_ptr req, reply_fn reply) {
  auto id = case_id_of(*req);
  if (!id)
    return reply(error_response(make_problem(errc::not_found)));
  authenticate(ctx, req, reply, access::reviewer, [=](principal who) {
    auto body = parse_json_object(*req);
    if (auto p = std::get_if<problem>(&body))
      return reply(error_response(*p));
    field_reader fields{std::get<nlohmann::json>(body)};
    auto reason = fields.take(domain::parse_reason(
      fields.optional_text("reason").value_or("")));
    if (!fields.ok())
      return reply(error_response(fields.error()));
    with_case_claim(ctx, reply, *id, [=](std::string key) {
      ask<bool>(
        ctx, reply, ctx->claims,
        [reply, id, reason](bool) {
          reply(json_response(200, {{"review",
                                     {{"id", *id},
                                      {"state", "rejected"},
                                      {"reason", reason}}}}));
        },
        reject_atom_v, review_rejection{key, *id, who.staff->id, reason});
    });
  });
}

} // namespace

void add_admin_review_routes(router& r, const api_context_ptr& ctx) {
  r.add(bh::verb::get, "/api/v1/admin/reviews",
        [ctx](request_ptr req, reply_fn reply) { list(ctx, req, reply); });
  r.add(bh::verb::get, "/api/v1/admin/reviews/{id}",
        [ctx](request_ptr req, reply_fn reply) { detail(ctx, req, reply); });
  r.add(bh::verb::get, "/api/v1/admin/reviews/{id}/photos/{side}",
        [ctx](request_ptr req, reply_fn reply) { photo(ctx, req, reply); });
  r.add(bh::verb::post, "/api/v1/admin/reviews/{id}/approve",
        [ctx](request_ptr req, reply_fn reply) { approve(ctx, req, reply); });
  r.add(bh::verb::post, "/api/v1/admin/reviews/{id}/reject",
        [ctx](request_ptr req, reply_fn reply) { reject(ctx, req, reply); });
}

} // namespace idclaim::http
