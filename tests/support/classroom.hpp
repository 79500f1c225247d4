#pragma once

#include <cstdint>
#include <string>

#include "tests/support/api_steps.hpp"

namespace idclaim::testing {

/// A class of four in the student records, registered and ready for the
/// assist path: a restricted requester on an ID that the holder holds, an
/// active phone-bound classmate, a classmate whose mobile is not bound, and
/// someone of another class.
struct classroom {
  int number = 0; ///< distinguishes rooms in one service
  std::string held_id;
  int64_t holder = 0;
  std::string holder_username;
  std::string holder_mobile;
  int64_t requester = 0;
  std::string requester_username;
  std::string requester_token;
  int64_t classmate = 0;
  std::string classmate_username;
  std::string classmate_name = "张三丰";
  std::string classmate_mobile;
  std::string classmate_token;
  int64_t unbound = 0;
  std::string unbound_mobile;
  int64_t other_class = 0;
  std::string other_class_username;
  std::string other_class_mobile;
};

/// Imports the records of room `number` as `operator_token` and registers
/// its people. Rooms with different numbers never share an ID, a mobile or
/// a username.
classroom make_classroom(test_service& svc, http_client& c,
                         const std::string& operator_token, int number);

/// The requester of `r` asks `name` at `mobile` for help.
json_reply ask_classmate(http_client& c, const classroom& r,
                         const std::string& name, const std::string& mobile,
                         const std::string& own_mobile = "13700001234");

/// The id of the newest assist request item in the classmate's inbox.
int64_t classmate_inbox_item(http_client& c, const classroom& r);

} // namespace idclaim::testing
