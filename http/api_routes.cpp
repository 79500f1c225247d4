#include "http/api_routes.hpp"

namespace idclaim::http {

std::shared_ptr<router> build_router(const api_context_ptr& ctx) {
  auto r = std::make_shared<router>();
  add_registration_routes(*r, ctx);
  add_session_routes(*r, ctx);
  add_account_routes(*r, ctx);
  add_sms_code_routes(*r, ctx);
  add_review_routes(*r, ctx);
  add_admin_review_routes(*r, ctx);
  add_assist_routes(*r, ctx);
  add_inbox_routes(*r, ctx);
  add_record_routes(*r, ctx);
  add_event_routes(*r, ctx);
  add_operator_routes(*r, ctx);
  if (ctx->site)
    r->set_fallback(static_handler(ctx->site));
  return r;
}

} // namespace idclaim::http
