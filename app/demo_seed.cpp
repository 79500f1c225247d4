#include "app/demo_seed.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>

#include <boost/beast/http/verb.hpp>
#include <caf/scoped_actor.hpp>
#include <gd.h>

#include "actors/messages.hpp"
#include "app/demo_client.hpp"
#include "domain/fields.hpp"
#include "domain/id_number.hpp"
#include "storage/connection.hpp"

namespace idclaim::app {

namespace bh = boost::beast::http;

namespace {

/// Every demo login has this password; it meets the password rules.
const std::string demo_password = "Demo2024pass";

/// One student of the demo class.
struct demo_student {
  std::string username;
  std::string name;
  std::string id_body; ///< the first 17 digits of the resident ID
  std::string mobile;
  bool acknowledge; ///< registers on a held number (→ restricted)
};

// The holder and both claimants share one ID number: the ID conflict.
const demo_student holder{"demo_holder", "李明", "31010420030512011",
                          "13900000001", false};
const demo_student classmate{"demo_classmate", "张伟", "31010420030718022",
                             "13900000004", false};
const demo_student claimant{"demo_claimant", "李明", "31010420030512011",
                            "13900000002", true};
const demo_student asker{"demo_asker", "李明", "31010420030512011",
                         "13900000003", true};

/// The class's records (学籍); the last three have no account.
struct demo_record {
  std::string name;
  std::string id_body;
};

const std::vector<demo_record> class_records{
  {"李明", "31010420030512011"}, {"张伟", "31010420030718022"},
  {"王芳", "31010420031103033"}, {"刘洋", "31010420040226044"},
  {"陈静", "31010420040409055"},
};

const char* const school = "复旦大学";
const char* const class_name = "计算机科学2101班";

std::string resident_id(const std::string& body) {
  auto check = domain::gb11643_check_character(body);
  if (!check)
    throw std::logic_error("demo: bad ID body");
  return body + *check;
}

/// Runs `work` in one committed transaction of the service's storage actor.
void in_storage(service& svc, std::function<void(storage::connection&)> work) {
  caf::scoped_actor self{svc.system()};
  bool ok = false;
  self
    ->request(svc.context()->db, std::chrono::seconds{30}, run_atom_v,
              db_job{std::move(work)})
    .receive([&ok](bool) { ok = true; }, [](caf::error&) {});
  if (!ok)
    throw std::runtime_error("demo: a storage job failed");
}

std::optional<storage::account_row> find_account(service& svc,
                                                 const std::string& username) {
  std::optional<storage::account_row> out;
  in_storage(svc, [&out, &username](storage::connection& conn) {
    out = conn.accounts().find_by_username(domain::username_key(username));
  });
  return out;
}

/// Fails with the step's name when `reply` is not `want`.
void expect(const demo_reply& reply, unsigned want, const std::string& step) {
  if (reply.status != want)
    throw std::runtime_error("demo: " + step + " answered "
                             + std::to_string(reply.status) + " "
                             + reply.body.dump());
}

std::string login(demo_client& c, const std::string& username) {
  auto r = c.json(bh::verb::post, "/api/v1/sessions",
                  {{"username", username}, {"password", demo_password}});
  expect(r, 200, "login of " + username);
  return r.body["token"].get<std::string>();
}

/// Adds a staff member unless the username exists; whether it added one.
bool add_staff(service& svc, const std::string& username,
               storage::staff_role role, crypto::hash_cost cost) {
  storage::staff_row row;
  row.username = username;
  row.username_key = domain::username_key(username);
  row.role = role;
  bool exists = false;
  in_storage(svc, [&](storage::connection& conn) {
    exists = conn.staff().find_by_username(row.username_key).has_value();
  });
  if (exists)
    return false;
  // Hashed here, not in the storage job, so storage is not held up.
  row.password_hash = crypto::hash_password(demo_password, cost);
  bool added = false;
  in_storage(
    svc, [&](storage::connection& conn) { added = conn.staff().insert(row); });
  return added;
}

void import_class(demo_client& c) {
  std::string csv = "id_type,id_number,name,school,class,enrolment_year\n";
  for (auto& r : class_records)
    csv += "resident," + resident_id(r.id_body) + "," + r.name + "," + school
           + "," + class_name + ",2021\n";
  auto token = login(c, "demo_operator");
  auto r = c.raw(bh::verb::post, "/api/v1/admin/student-records",
                 std::move(csv), "text/csv; charset=utf-8", token);
  expect(r, 200, "record import");
  if (!r.body["rejected"].empty())
    throw std::runtime_error("demo: records rejected " + r.body.dump());
}

void register_student(demo_client& c, const demo_student& s) {
  nlohmann::json body{{"username", s.username},
                      {"password", demo_password},
                      {"name", s.name},
                      {"id_type", "resident"},
                      {"id_number", resident_id(s.id_body)},
                      {"mobile", s.mobile},
                      {"acknowledge_duplicate", s.acknowledge}};
  expect(c.json(bh::verb::post, "/api/v1/accounts", body), 201,
         "registration of " + s.username);
}

/// Binds the mobile (实名绑定) without the SMS round trip; the holder also
/// gets a 兵役登记 so that the review pages show the strong warning.
bool bind_mobile(service& svc, const std::string& username, bool military) {
  bool changed = false;
  in_storage(svc, [&](storage::connection& conn) {
    auto row = conn.accounts().find_by_username(domain::username_key(username));
    if (!row)
      throw std::runtime_error("demo: " + username + " is missing");
    if (!row->mobile_bound) {
      conn.accounts().set_mobile(row->id, row->mobile_cipher, row->mobile_index,
                                 true, row->updated_ms);
      changed = true;
    }
    if (military && !row->military_registered) {
      conn.accounts().set_registrations(
        row->id, true, row->grad_exam_registered, row->updated_ms);
      changed = true;
    }
  });
  return changed;
}

/// A w×h JPEG standing in for a hand-held ID photo: a gradient and a card.
std::string demo_photo(int w, int h, int shade) {
  std::unique_ptr<gdImage, void (*)(gdImagePtr)> img{
    gdImageCreateTrueColor(w, h), gdImageDestroy};
  if (!img)
    throw std::runtime_error("demo: libgd could not make a photo");
  for (int y = 0; y < h; ++y)
    gdImageLine(img.get(), 0, y, w - 1, y,
                gdTrueColor(120 + y * 100 / h, 140, shade));
  gdImageFilledRectangle(img.get(), w / 4, h / 3, w * 3 / 4, h * 2 / 3,
                         gdTrueColor(235, 240, 250));
  int size = 0;
  void* data = gdImageJpegPtr(img.get(), &size, 85);
  if (!data)
    throw std::runtime_error("demo: libgd could not encode a photo");
  std::string out(static_cast<const char*>(data), size);
  gdFree(data);
  return out;
}

void submit_review(demo_client& c, const std::string& token) {
  const std::string boundary = "idclaim-demo-7MA4YWxkTrZu0gW";
  std::string body;
  for (auto [part, shade] : {std::pair{"front", 200}, std::pair{"back", 90}}) {
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\""
            + part + "\"; filename=\"" + part
            + ".jpg\"\r\nContent-Type: image/jpeg\r\n\r\n"
            + demo_photo(640, 480, shade) + "\r\n";
  }
  body += "--" + boundary + "--\r\n";
  expect(c.raw(bh::verb::post, "/api/v1/reviews", std::move(body),
               "multipart/form-data; boundary=" + boundary, token),
         201, "review submission");
}

void ask_classmate(demo_client& c, const std::string& token) {
  expect(c.json(bh::verb::post, "/api/v1/assist-requests",
                {{"classmate_name", classmate.name},
                 {"classmate_mobile", classmate.mobile},
                 {"own_mobile", asker.mobile}},
                token),
         201, "assist request");
}

/// Counts a step as done or as found done.
void tally(demo_outcome& out, bool did) {
  (did ? out.done : out.skipped) += 1;
}

} // namespace

const std::vector<demo_login>& demo_logins() {
  static const std::vector<demo_login> logins{
    {holder.username, demo_password, "证件号码的持有者（正常，已实名绑定）"},
    {claimant.username, demo_password,
     "同一证件号码的新帐号（受限，客服审核中）"},
    {asker.username, demo_password,
     "同一证件号码的新帐号（受限，已向同学发送协助请求）"},
    {classmate.username, demo_password,
     "同班同学（收件箱里有一条待处理的协助请求）"},
    {"demo_reviewer", demo_password, "客服审核员（审核队列）"},
    {"demo_operator", demo_password, "运维人员（运行状态、学籍导入）"},
  };
  return logins;
}

demo_outcome seed_demo(service& svc, crypto::hash_cost cost) {
  demo_outcome out;
  tally(out,
        add_staff(svc, "demo_reviewer", storage::staff_role::reviewer, cost));
  tally(out,
        add_staff(svc, "demo_operator", storage::staff_role::operator_, cost));
  demo_client c{svc.port()};
  bool all_there = true;
  for (auto* s : {&holder, &classmate, &claimant, &asker})
    all_there = all_there && find_account(svc, s->username).has_value();
  if (!all_there)
    import_class(c);
  tally(out, !all_there);
  // Order matters: the claimants register before the review case opens
  // (case 1 refuses new registrations on the number).
  for (auto* s : {&holder, &classmate, &claimant, &asker}) {
    bool missing = !find_account(svc, s->username);
    if (missing)
      register_student(c, *s);
    tally(out, missing);
  }
  tally(out, bind_mobile(svc, holder.username, true));
  tally(out, bind_mobile(svc, classmate.username, false));
  auto asker_row = find_account(svc, asker.username);
  bool asked = false;
  in_storage(svc, [&](storage::connection& conn) {
    asked = !conn.assists().by_requester(asker_row->id, 1).empty();
  });
  if (!asked)
    ask_classmate(c, login(c, asker.username));
  tally(out, !asked);
  auto claimant_row = find_account(svc, claimant.username);
  bool reviewed = false;
  in_storage(svc, [&](storage::connection& conn) {
    reviewed = !conn.reviews().by_account(claimant_row->id).empty();
  });
  if (!reviewed)
    submit_review(c, login(c, claimant.username));
  tally(out, !reviewed);
  return out;
}

} // namespace idclaim::app
