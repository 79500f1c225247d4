#pragma once

#include <string>
#include <vector>

#include "app/service.hpp"
#include "crypto/password_hash.hpp"

namespace idclaim::app {

/// One login the demo data set offers a newcomer.
struct demo_login {
  std::string username;
  std::string password;
  std::string what; ///< who this is, in Chinese, for the printed list
};

/// What one run of the seeder did: how many steps it took and how many it
/// found already done (a second run takes none).
struct demo_outcome {
  int done = 0;
  int skipped = 0;
};

/// The logins of the demo data set, in the order `idclaim demo` prints them.
const std::vector<demo_login>& demo_logins();

/// Seeds the demo data set into the running service `svc` through its own
/// API (and, for what no endpoint sets, such as 实名绑定 without an SMS
/// round trip and the staff accounts, through its storage actor): the
/// student records of one class, an active phone-bound holder, a
/// restricted claimant with an open review case, a restricted classmate-
/// assist requester whose request waits in a phone-bound classmate's
/// inbox, a reviewer and an operator. Every step first looks in storage
/// whether it is done, so a second run changes nothing. Staff passwords
/// are hashed at `cost`.
/// @throws std::runtime_error naming the step that the service refused.
demo_outcome seed_demo(service& svc, crypto::hash_cost cost);

} // namespace idclaim::app
