#pragma once

#include <chrono>
#include <cstdint>

#include "config/settings.hpp"

namespace idclaim::http {

/// What login protection decides before a password is checked.
struct login_verdict {
  bool refuse = false;                ///< 429 RATE_LIMITED, no check at all
  std::chrono::milliseconds delay{0}; ///< hold the answer back this long
  int64_t retry_after_s = 0;          ///< Retry-After of a refusal
};

/// Judges a login attempt by the failures recorded within the window: from
/// `slow_after` failures (of the username or from the IP) answers are
/// delayed; from `lock_after` failures of the username, or `ip_lock_after`
/// from the IP, attempts are refused until failures age out of the window.
/// `name_failures` counts every failure naming the username, whether or not
/// an account has it (login_failures), so the verdicts, and with them the
/// answers, are the same for known and unknown usernames.
login_verdict judge_login(const config::settings& s, int64_t name_failures,
                          int64_t ip_failures);

} // namespace idclaim::http
