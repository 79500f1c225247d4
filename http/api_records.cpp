// POST /api/v1/admin/student-records: operators import 学籍 rows as CSV.

#include "http/api_routes.hpp"

#include "actors/records_import.hpp"
#include "domain/shanghai_time.hpp"
#include "http/actor_calls.hpp"
#include "http/auth.hpp"
#include "http/cpu_calls.hpp"

namespace idclaim::http {

namespace bh = boost::beast::http;

namespace {

/// Room for the largest file the parser accepts (200,000 rows).
constexpr std::size_t import_body_limit = 32 * 1024 * 1024;

bool is_csv(const request& req) {
  auto type = header(req, "Content-Type").value_or("");
  auto semicolon = type.find(';');
  auto media = type.substr(0, semicolon);
  for (auto& c : media)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return media == "text/csv";
}

/// An import in progress: its rows go to storage one chunk at a time, so
/// other writers interleave and a big file never holds the writer long.
struct import_run {
  actors::prepared_import prepared;
  actors::import_counts counts;
  std::size_t next = 0;
};

void store_next_chunk(const api_context_ptr& ctx, reply_fn reply,
                      std::shared_ptr<import_run> run) {
  if (run->next >= run->prepared.rows.size())
    return reply(json_response(
      200, actors::import_report(run->counts, run->prepared.rejected)));
  auto first = run->next;
  auto last = std::min(first + actors::import_chunk, run->prepared.rows.size());
  run->next = last;
  auto now = ctx->time->now_ms();
  with_storage<actors::import_counts>(
    ctx, reply,
    [run, first, last, now](storage::connection& conn) {
      return actors::store_records(conn, run->prepared.rows, first, last, now);
    },
    [ctx, reply, run](actors::import_counts c) {
      run->counts.inserted += c.inserted;
      run->counts.updated += c.updated;
      run->counts.unchanged += c.unchanged;
      store_next_chunk(ctx, reply, run);
    });
}

void import(const api_context_ptr& ctx, request_ptr req, reply_fn reply) {
  authenticate(ctx, req, reply, access::operator_, [=](principal) {
    if (!is_csv(*req))
      return reply(
        error_response(make_problem(errc::unsupported_media_type)));
    auto run = std::make_shared<import_run>();
    auto refusal = std::make_shared<std::optional<problem>>();
    auto today = domain::shanghai_date(ctx->time->now());
    cpu_async(
      ctx, reply,
      [ctx, req, run, refusal, today] {
        auto out = actors::prepare_import(req->msg.body(), today, *ctx->cipher,
                                          *ctx->index);
        if (auto p = std::get_if<problem>(&out))
          *refusal = *p;
        else
          run->prepared = std::move(std::get<actors::prepared_import>(out));
      },
      [ctx, reply, run, refusal] {
        if (*refusal)
          return reply(error_response(**refusal));
        store_next_chunk(ctx, reply, run);
      });
  });
}

} // namespace

void add_record_routes(router& r, const api_context_ptr& ctx) {
  route_options big;
  big.body_limit = import_body_limit;
  r.add(
    bh::verb::post, "/api/v1/admin/student-records",
    [ctx](request_ptr req, reply_fn reply) { import(ctx, req, reply); }, big);
}

} // namespace idclaim::http
