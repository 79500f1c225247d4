#pragma once

#include <cstdint>

namespace idclaim::domain {

/// 注：每天可发送协助请求5条 — counted attempts per account and
/// Asia/Shanghai calendar day (I3).
inline constexpr int64_t assist_daily_limit = 5;

} // namespace idclaim::domain
