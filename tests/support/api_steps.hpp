#pragma once

// The steps end-to-end tests take through the real API, so a test reads as
// the story it checks: register, log in, submit photos, approve.

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "storage/connection.hpp"
#include "tests/support/test_service.hpp"

namespace idclaim::testing {

/// Who a registration creates.
struct person {
  std::string username;
  std::string name = "王小明";
  std::string mobile = "13912345678";
  std::string password = "Passw0rd-x1";
};

/// Registers `p` on `id_number` (acknowledging a duplicate) and returns the
/// reply; REQUIREs nothing, so tests can check refusals.
json_reply register_person(http_client& c, const person& p,
                           const std::string& id_number, bool ack = true);

/// Registers and returns the new account's id; fails the test otherwise.
int64_t must_register(http_client& c, const person& p,
                      const std::string& id_number, bool ack = true);

/// Logs in and returns the bearer token; fails the test otherwise.
std::string login(http_client& c, const std::string& username,
                  const std::string& password = "Passw0rd-x1");

/// Runs `work` in a committed storage transaction of the service, for
/// setting up what no endpoint sets (flags owned by other systems) and for
/// looking at rows the API does not show.
void in_storage(test_service& svc,
                std::function<void(storage::connection&)> work);

/// Adds a staff member directly and returns a logged-in token.
std::string staff_token(test_service& svc, http_client& c,
                        const std::string& role, const std::string& username);

/// Marks an account's mobile as bound (实名绑定) without the SMS round
/// trip, for tests of other features.
void bind_mobile(test_service& svc, int64_t account);

/// Sets an account's 兵役登记 / 研招报名 flags.
void set_registrations(test_service& svc, int64_t account, bool military,
                       bool grad_exam);

/// One part of a multipart/form-data body.
struct form_part {
  std::string name;
  std::string filename;
  std::string content_type;
  std::string data;
};

/// The boundary multipart_body uses.
inline const std::string test_boundary = "idclaim-test-boundary-7MA4YWxkTrZu0gW";

/// A multipart/form-data body of `parts`.
std::string multipart_body(const std::vector<form_part>& parts);

/// Submits `front` and `back` for review with `token`.
json_reply submit_photos(http_client& c, const std::string& token,
                         const std::string& front, const std::string& back);

/// POSTs a CSV body of student records as `token` (an operator).
json_reply import_records(http_client& c, const std::string& token,
                          const std::string& csv);

/// Moves the service's test clock to `rfc3339`.
void set_clock(http_client& c, const std::string& rfc3339);

/// Moves the service's test clock forward.
void advance_clock(http_client& c, int64_t seconds);

/// Waits until `condition` holds, checking it every few milliseconds, for
/// at most `limit`; returns whether it held. For effects that happen after
/// the answer (an SMS written by its actor, a frame pushed).
bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds limit = std::chrono::seconds{5});

/// The verification codes the embedded SMS gateway sent to `mobile` so
/// far, oldest first, as its outbox file has them.
std::vector<std::string> sms_codes_to(test_service& svc,
                                      const std::string& mobile);

/// Waits (5 s at most) for the `n`-th code to `mobile`: the SMS actor
/// writes after the answer. Empty when it did not come.
std::string nth_sms_code(test_service& svc, const std::string& mobile,
                         std::size_t n);

/// The status of an account as storage has it ("active", ...).
std::string status_of(test_service& svc, int64_t account);

} // namespace idclaim::testing
