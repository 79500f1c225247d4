#define CAF_SUITE storage.sessions
#include <caf/test/unit_test.hpp>

#include "tests/support/storage_fixture.hpp"

using namespace idclaim;
using namespace idclaim::testing;
using storage::session_row;
using storage::subject_kind;

CAF_TEST_FIXTURE_SCOPE(sessions_tests, storage_fixture)

CAF_TEST(a session is found by its digest until removed) {
  std::string digest{"\x00\x01\x02digest", 9};
  conn->begin();
  conn->sessions().insert({digest, subject_kind::account, 42, 100, 200});
  conn->commit();
  auto s = conn->sessions().find(digest);
  CAF_REQUIRE(s.has_value());
  CAF_CHECK_EQUAL(s->subject_id, 42);
  CAF_CHECK(s->kind == subject_kind::account);
  CAF_CHECK_EQUAL(s->created_ms, 100);
  CAF_CHECK_EQUAL(s->expires_ms, 200);
  CAF_CHECK(!conn->sessions().find(std::string{"\x00\x01\x02", 3}));
  conn->begin();
  CAF_CHECK(conn->sessions().remove(digest));
  CAF_CHECK(!conn->sessions().remove(digest));
  conn->commit();
  CAF_CHECK(!conn->sessions().find(digest).has_value());
}

CAF_TEST(remove_others keeps one session and the other subjects) {
  conn->begin();
  for (auto d : {"a1", "a2", "a3"})
    conn->sessions().insert({d, subject_kind::account, 1, 0, 1000});
  conn->sessions().insert({"b1", subject_kind::account, 2, 0, 1000});
  conn->sessions().insert({"s1", subject_kind::staff, 1, 0, 1000});
  auto removed = conn->sessions().remove_others(subject_kind::account, 1, "a2");
  conn->commit();
  CAF_CHECK_EQUAL(removed, 2);
  CAF_CHECK(!conn->sessions().find("a1").has_value());
  CAF_CHECK(conn->sessions().find("a2").has_value());
  CAF_CHECK(!conn->sessions().find("a3").has_value());
  CAF_CHECK(conn->sessions().find("b1").has_value());
  auto staff = conn->sessions().find("s1");
  CAF_REQUIRE(staff.has_value());
  CAF_CHECK(staff->kind == subject_kind::staff);
}

CAF_TEST(expired sessions are purged) {
  conn->begin();
  conn->sessions().insert({"old", subject_kind::account, 1, 0, 50});
  conn->sessions().insert({"new", subject_kind::account, 1, 0, 500});
  CAF_CHECK_EQUAL(conn->sessions().purge_expired(100), 1);
  conn->commit();
  CAF_CHECK(!conn->sessions().find("old").has_value());
  CAF_CHECK(conn->sessions().find("new").has_value());
}

CAF_TEST_FIXTURE_SCOPE_END()
