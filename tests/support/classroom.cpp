#include "tests/support/classroom.hpp"

#include <stdexcept>

namespace idclaim::testing {

namespace bh = boost::beast::http;

namespace {

std::string mobile_of(int n) {
  return "139" + std::to_string(10000000 + n);
}

} // namespace

classroom make_classroom(test_service& svc, http_client& c,
                         const std::string& operator_token, int number) {
  auto tag = std::to_string(number);
  auto base = 4000 + number * 10;
  classroom r;
  r.number = number;
  r.held_id = nth_resident_id(base);
  auto mate_id = nth_resident_id(base + 1);
  auto unbound_id = nth_resident_id(base + 2);
  auto other_id = nth_resident_id(base + 3);
  std::string csv = "id_type,id_number,name,school,class,enrolment_year\n";
  auto row = [&](const std::string& id, const std::string& name,
                 const std::string& klass) {
    csv += "resident," + id + "," + name + ",清华大学," + klass + ",2012\n";
  };
  row(r.held_id, "李小龙", "计算机2101班");
  row(mate_id, r.classmate_name, "计算机2101班");
  row(unbound_id, "赵敏敏", "计算机2101班");
  row(other_id, "周芷若", "物理2102班");
  auto imported = import_records(c, operator_token, csv);
  if (imported.status != 200 || !imported.body["rejected"].empty())
    throw std::runtime_error("record import failed: " + imported.body.dump());
  r.holder_username = "holder" + tag + "xx";
  r.holder_mobile = mobile_of(base);
  r.holder = must_register(c, {r.holder_username, "李小龙", r.holder_mobile},
                           r.held_id, false);
  bind_mobile(svc, r.holder);
  r.requester_username = "asker" + tag + "xxx";
  r.requester = must_register(
    c, {r.requester_username, "李小龙", mobile_of(base + 5)}, r.held_id);
  r.requester_token = login(c, r.requester_username);
  r.classmate_username = "mate" + tag + "xxxx";
  r.classmate_mobile = mobile_of(base + 1);
  r.classmate = must_register(
    c, {r.classmate_username, r.classmate_name, r.classmate_mobile}, mate_id,
    false);
  bind_mobile(svc, r.classmate);
  r.classmate_token = login(c, r.classmate_username);
  r.unbound_mobile = mobile_of(base + 2);
  r.unbound = must_register(
    c, {"unbound" + tag + "xx", "赵敏敏", r.unbound_mobile}, unbound_id, false);
  r.other_class_username = "other" + tag + "xxxx";
  r.other_class_mobile = mobile_of(base + 3);
  r.other_class
    = must_register(c, {r.other_class_username, "周芷若", r.other_class_mobile},
                    other_id, false);
  bind_mobile(svc, r.other_class);
  return r;
}

json_reply ask_classmate(http_client& c, const classroom& r,
                         const std::string& name, const std::string& mobile,
                         const std::string& own_mobile) {
  return call(c, bh::verb::post, "/api/v1/assist-requests",
              {{"classmate_name", name},
               {"classmate_mobile", mobile},
               {"own_mobile", own_mobile}},
              r.requester_token);
}

int64_t classmate_inbox_item(http_client& c, const classroom& r) {
  auto inbox
    = call(c, bh::verb::get, "/api/v1/inbox", nullptr, r.classmate_token);
  for (auto& item : inbox.body["items"])
    if (item["kind"] == "assist_request")
      return item["id"].get<int64_t>();
  throw std::runtime_error("no assist request in the inbox: "
                           + inbox.body.dump());
}

} // namespace idclaim::testing
