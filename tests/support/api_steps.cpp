#include "tests/support/api_steps.hpp"

#include <sstream>
#include <stdexcept>
#include <thread>

#include <caf/scoped_actor.hpp>

#include "crypto/password_hash.hpp"
#include "domain/fields.hpp"

namespace idclaim::testing {

namespace bh = boost::beast::http;

json_reply register_person(http_client& c, const person& p,
                           const std::string& id_number, bool ack) {
  nlohmann::json body{{"username", p.username}, {"password", p.password},
                      {"name", p.name},         {"id_type", "resident"},
                      {"id_number", id_number}, {"mobile", p.mobile}};
  if (ack)
    body["acknowledge_duplicate"] = true;
  return call(c, bh::verb::post, "/api/v1/accounts", body);
}

int64_t must_register(http_client& c, const person& p,
                      const std::string& id_number, bool ack) {
  auto r = register_person(c, p, id_number, ack);
  if (r.status != 201)
    throw std::runtime_error("registration of " + p.username + " failed: "
                             + r.body.dump());
  return r.body["account"]["id"].get<int64_t>();
}

std::string login(http_client& c, const std::string& username,
                  const std::string& password) {
  auto r = call(c, bh::verb::post, "/api/v1/sessions",
                {{"username", username}, {"password", password}});
  if (r.status != 200)
    throw std::runtime_error("login of " + username + " failed: "
                             + r.body.dump());
  return r.body["token"].get<std::string>();
}

void in_storage(test_service& svc,
                std::function<void(storage::connection&)> work) {
  auto& ctx = *svc.service().context();
  caf::scoped_actor self{svc.service().system()};
  bool ok = false;
  self
    ->request(ctx.db, std::chrono::seconds{10}, run_atom_v,
              db_job{std::move(work)})
    .receive([&](bool) { ok = true; }, [](caf::error&) {});
  if (!ok)
    throw std::runtime_error("storage job failed");
}

std::string staff_token(test_service& svc, http_client& c,
                        const std::string& role, const std::string& username) {
  auto name = std::get<domain::valid_username>(domain::parse_username(username));
  storage::staff_row row;
  row.username = name.text;
  row.username_key = name.key;
  row.password_hash = crypto::hash_password("Staff-Passw0rd",
                                            crypto::hash_cost::fast);
  row.role = role == "reviewer" ? storage::staff_role::reviewer
                                : storage::staff_role::operator_;
  in_storage(svc, [row](storage::connection& conn) {
    conn.staff().insert(row);
  });
  return login(c, username, "Staff-Passw0rd");
}

void bind_mobile(test_service& svc, int64_t account) {
  in_storage(svc, [account](storage::connection& conn) {
    auto row = conn.accounts().find(account);
    conn.accounts().set_mobile(account, row->mobile_cipher, row->mobile_index,
                               true, row->updated_ms);
  });
}

void set_registrations(test_service& svc, int64_t account, bool military,
                       bool grad_exam) {
  in_storage(svc, [=](storage::connection& conn) {
    conn.accounts().set_registrations(account, military, grad_exam, 0);
  });
}

std::string multipart_body(const std::vector<form_part>& parts) {
  std::string body;
  for (auto& p : parts) {
    body += "--" + test_boundary + "\r\n";
    body += "Content-Disposition: form-data; name=\"" + p.name + "\"";
    if (!p.filename.empty())
      body += "; filename=\"" + p.filename + "\"";
    body += "\r\n";
    if (!p.content_type.empty())
      body += "Content-Type: " + p.content_type + "\r\n";
    body += "\r\n" + p.data + "\r\n";
  }
  body += "--" + test_boundary + "--\r\n";
  return body;
}

json_reply submit_photos(http_client& c, const std::string& token,
                         const std::string& front, const std::string& back) {
  auto body = multipart_body({{"front", "front.jpg", "image/jpeg", front},
                              {"back", "back.jpg", "image/jpeg", back}});
  auto res = c.request(
    bh::verb::post, "/api/v1/reviews", body,
    {{"Content-Type", "multipart/form-data; boundary=" + test_boundary},
     {"Authorization", "Bearer " + token}});
  json_reply out;
  out.status = res.result_int();
  out.body = nlohmann::json::parse(res.body(), nullptr, false);
  out.raw = std::move(res);
  return out;
}

json_reply import_records(http_client& c, const std::string& token,
                          const std::string& csv) {
  auto res = c.request(bh::verb::post, "/api/v1/admin/student-records", csv,
                       {{"Content-Type", "text/csv; charset=utf-8"},
                        {"Authorization", "Bearer " + token}});
  json_reply out;
  out.status = res.result_int();
  out.body = nlohmann::json::parse(res.body(), nullptr, false);
  out.raw = std::move(res);
  return out;
}

void set_clock(http_client& c, const std::string& rfc3339) {
  auto r = call(c, bh::verb::post, "/api/v1/test/clock", {{"set", rfc3339}});
  if (r.status != 200)
    throw std::runtime_error("cannot set the test clock: " + r.body.dump());
}

void advance_clock(http_client& c, int64_t seconds) {
  auto r = call(c, bh::verb::post, "/api/v1/test/clock",
                {{"advance_seconds", seconds}});
  if (r.status != 200)
    throw std::runtime_error("cannot move the test clock: " + r.body.dump());
}

bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds{5});
  }
  return true;
}

std::vector<std::string> sms_codes_to(test_service& svc,
                                      const std::string& mobile) {
  std::vector<std::string> out;
  std::istringstream lines{
    read_file(svc.data_dir() + "/data/sms-outbox.jsonl")};
  for (std::string line; std::getline(lines, line);) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_object() && j.value("to", "") == mobile
        && !j.value("code", "").empty())
      out.push_back(j["code"].get<std::string>());
  }
  return out;
}

std::string nth_sms_code(test_service& svc, const std::string& mobile,
                         std::size_t n) {
  if (!eventually([&] { return sms_codes_to(svc, mobile).size() >= n; }))
    return {};
  return sms_codes_to(svc, mobile)[n - 1];
}

std::string status_of(test_service& svc, int64_t account) {
  std::string out;
  in_storage(svc, [&out, account](storage::connection& conn) {
    auto row = conn.accounts().find(account);
    out = row ? std::string{to_string(row->status)} : "none";
  });
  return out;
}

} // namespace idclaim::testing
