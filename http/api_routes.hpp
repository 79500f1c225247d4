#pragma once

#include <memory>

#include "http/api_context.hpp"
#include "http/router.hpp"

namespace idclaim::http {

/// Registration: id-checks and accounts.
void add_registration_routes(router& r, const api_context_ptr& ctx);

/// Sessions and the account pages.
void add_session_routes(router& r, const api_context_ptr& ctx);

/// 修改用户名, 修改密码, 个人信息 and 登录日志.
void add_account_routes(router& r, const api_context_ptr& ctx);

/// 实名绑定 and 找回用户名 by SMS code.
void add_sms_code_routes(router& r, const api_context_ptr& ctx);

/// 证件重复-客服审核 for claimants.
void add_review_routes(router& r, const api_context_ptr& ctx);

/// The reviewer's queue and decisions.
void add_admin_review_routes(router& r, const api_context_ptr& ctx);

/// 证件重复-用户协助 for requesters.
void add_assist_routes(router& r, const api_context_ptr& ctx);

/// 收件箱 and the classmate's decisions.
void add_inbox_routes(router& r, const api_context_ptr& ctx);

/// Operators' import of student records.
void add_record_routes(router& r, const api_context_ptr& ctx);

/// The live-event WebSocket.
void add_event_routes(router& r, const api_context_ptr& ctx);

/// Health, readiness and (with --test-clock) the test clock.
void add_operator_routes(router& r, const api_context_ptr& ctx);

/// Every route of the service, in one router.
std::shared_ptr<router> build_router(const api_context_ptr& ctx);

} // namespace idclaim::http
