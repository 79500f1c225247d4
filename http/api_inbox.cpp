// 收件箱: the inbox, an item's detail (the seed's 证件号码重复审核处理结果明细),
// and a classmate approving or declining an assist request.

#include "http/api_routes.hpp"

#include "actors/assist_transactions.hpp"
#include "domain/notices.hpp"
#include "domain/shanghai_time.hpp"
#include "http/actor_calls.hpp"
#include "http/assist_views.hpp"
#include "http/auth.hpp"
#include "http/query.hpp"

namespace idclaim::http {

namespace bh = boost::beast::http;

namespace {

constexpr int64_t default_page = 50;
constexpr int64_t max_page = 200;

struct inbox_page {
  int64_t unread = 0;
  std::vector<inbox_entry> entries;
};

void list(const api_context_ptr& ctx, request_ptr req, reply_fn reply) {
  authenticate(ctx, req, reply, access::account_unrestricted, [=](principal who) {
    auto limit = query_count(req->query, "limit", default_page, max_page);
    auto before = query_count(req->query, "before", 0, INT64_MAX);
    for (auto* v : {&limit, &before})
      if (auto p = std::get_if<problem>(v))
        return reply(error_response(*p));
    with_storage<inbox_page>(
      ctx, reply,
      [id = who.account->id, limit = std::max<int64_t>(1, std::get<int64_t>(limit)),
       before = std::get<int64_t>(before)](storage::connection& conn) {
        return inbox_page{conn.inbox().unread(id),
                          load_entries(conn, conn.inbox().list(id, before, limit))};
      },
      [ctx, reply](inbox_page page) {
        auto now = ctx->time->now_ms();
        auto items = nlohmann::json::array();
        for (auto& e : page.entries)
          items.push_back(inbox_json(*ctx->cipher, e, now, false));
        reply(json_response(200, {{"unread", page.unread}, {"items", items}}));
      });
  });
}

std::optional<int64_t> item_id_of(const request& req) {
  return parse_count(req.params.at("id"));
}

/// The caller's item `id` with what it shows, marked read.
std::optional<inbox_entry> open_item(storage::connection& conn, account_id me,
                                     int64_t id, int64_t now_ms) {
  auto item = conn.inbox().find(id);
  if (!item || item->account != me)
    return std::nullopt;
  if (conn.inbox().mark_read(id, now_ms)) {
    item->read_ms = now_ms;
    conn.account_changed(me);
  }
  return load_entries(conn, {*item}).front();
}

void detail(const api_context_ptr& ctx, request_ptr req, reply_fn reply) {
  auto id = item_id_of(*req);
  if (!id)
    return reply(error_response(make_problem(errc::not_found)));
  authenticate(ctx, req, reply, access::account_unrestricted, [=](principal who) {
    auto now = ctx->time->now_ms();
    with_storage<std::optional<inbox_entry>>(
      ctx, reply,
      [me = who.account->id, id, now](storage::connection& conn) {
        return open_item(conn, me, *id, now);
      },
      [ctx, reply, now](std::optional<inbox_entry> e) {
        if (!e)
          return reply(error_response(make_problem(errc::not_found)));
        reply(json_response(200, inbox_json(*ctx->cipher, *e, now, true)));
      });
  });
}

/// The assist request an item of the caller is about, and its claim key.
struct request_ref {
  int64_t request = 0;
  std::string claim_key;
};

std::optional<request_ref> request_of(storage::connection& conn, account_id me,
                                      int64_t item_id) {
  auto item = conn.inbox().find(item_id);
  if (!item || item->account != me
      || item->kind != storage::inbox_kind::assist_request
      || !item->assist_request)
    return std::nullopt;
  auto r = conn.assists().find(*item->assist_request);
  if (!r || r->classmate != me)
    return std::nullopt;
  return request_ref{r->id, conn.claims().key_of(r->claim)};
}

void approve(const api_context_ptr& ctx, request_ptr req, reply_fn reply) {
  auto id = item_id_of(*req);
  if (!id)
    return reply(error_response(make_problem(errc::not_found)));
  authenticate(ctx, req, reply, access::account_unrestricted, [=](principal who) {
    auto me = who.account->id;
    with_storage<std::optional<request_ref>>(
      ctx, reply,
      [me, id](storage::connection& conn) { return request_of(conn, me, *id); },
      [ctx, reply, me](std::optional<request_ref> ref) {
        if (!ref)
          return reply(error_response(make_problem(errc::not_found)));
        ask<resolution_result>(
          ctx, reply, ctx->claims,
          [ctx, reply, ref](resolution_result) {
            reply(json_response(
              200, {{"result", domain::assist_approved_text},
                    {"request",
                     {{"id", ref->request},
                      {"state", "approved"},
                      {"processed_at",
                       domain::format_rfc3339_ms(ctx->time->now_ms())}}}}));
          },
          settle_atom_v,
          resolution_request{ref->claim_key, resolution_path::assist,
                             ref->request, me});
      });
  });
}

void decline(const api_context_ptr& ctx, request_ptr req, reply_fn reply) {
  auto id = item_id_of(*req);
  if (!id)
    return reply(error_response(make_problem(errc::not_found)));
  authenticate(ctx, req, reply, access::account_unrestricted, [=](principal who) {
    auto me = who.account->id;
    auto now = ctx->time->now_ms();
    with_storage<std::variant<bool, problem>>(
      ctx, reply,
      [me, id, now](storage::connection& conn) -> std::variant<bool, problem> {
        auto ref = request_of(conn, me, *id);
        if (!ref)
          return make_problem(errc::not_found);
        return actors::decline_assist(conn, ref->request, me, now);
      },
      [reply](std::variant<bool, problem> out) {
        if (auto p = std::get_if<problem>(&out))
          return reply(error_response(*p));
        reply(json_response(200, {{"result", domain::assist_result_declined},
                                  {"state", "declined"}}));
      });
  });
}

} // namespace

void add_inbox_routes(router& r, const api_context_ptr& ctx) {
  r.add(bh::verb::get, "/api/v1/inbox",
        [ctx](request_ptr req, reply_fn reply) { list(ctx, req, reply); });
  r.add(bh::verb::get, "/api/v1/inbox/{id}",
        [ctx](request_ptr req, reply_fn reply) { detail(ctx, req, reply); });
  r.add(bh::verb::post, "/api/v1/inbox/{id}/approve",
        [ctx](request_ptr req, reply_fn reply) { approve(ctx, req, reply); });
  r.add(bh::verb::post, "/api/v1/inbox/{id}/decline",
        [ctx](request_ptr req, reply_fn reply) { decline(ctx, req, reply); });
}

} // namespace idclaim::http
