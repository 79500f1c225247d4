#define CAF_SUITE actors.claim_actor
#include <caf/test/dsl.hpp>

#include <memory>

#include "actors/claim_registry.hpp"
#include "config/app_config.hpp"
#include "tests/support/test_database.hpp"
#include "tests/support/test_service.hpp"

using namespace idclaim;
using namespace idclaim::actors;

namespace {

/// Stands in front of the storage actor and counts the jobs it is sent, so
/// tests can see how many storage round trips a claim actor made, and which
/// actor sent the last one.
db_actor::behavior_type probe_impl(db_actor::pointer self, db_actor real,
                                   std::shared_ptr<int> jobs,
                                   std::shared_ptr<caf::actor_addr> sender) {
  return {
    [=](run_atom, db_job& job) {
      *jobs += 1;
      *sender = caf::actor_cast<caf::actor_addr>(self->current_sender());
      return self->delegate(real, run_atom_v, std::move(job));
    },
    [](flush_atom) {},
    [](sink_atom, caf::actor) {},
    [](stop_atom) {},
  };
}

struct fixture : test_coordinator_fixture<config::app_config> {
  testing::temp_dir dir;
  testing::test_database tdb{dir.path() + "/t.sqlite3"};
  std::shared_ptr<storage::database> database;
  db_actor db;
  std::shared_ptr<int> jobs = std::make_shared<int>(0);
  std::shared_ptr<caf::actor_addr> last_sender
    = std::make_shared<caf::actor_addr>();
  std::shared_ptr<actor_stats> stats = std::make_shared<actor_stats>();
  claim_registry registry;

  fixture() {
    database = tdb.db();
    database->migrate();
    auto real = spawn_db_actor_for_tests(sys, database, 64);
    db = sys.spawn(probe_impl, real, jobs, last_sender);
    claim_context ctx;
    ctx.db = db;
    ctx.time = std::make_shared<system_clock_source>();
    ctx.stats = stats;
    registry = spawn_claim_registry(sys, ctx);
    deliver();
  }

  /// Delivers every queued message but fires no timer: claim actors re-arm
  /// their idle timer forever, so the fixture's run() would never return.
  /// Tests move time explicitly with advance_time().
  void deliver() {
    sched.run();
  }

  registration reg(const std::string& user, const std::string& key,
                   bool ack = false) {
    registration r;
    r.username = user;
    r.username_key = user;
    r.password_hash = "hash";
    r.name_cipher = "n";
    r.claim_key = key;
    r.id_cipher = "i";
    r.acknowledge_duplicate = ack;
    return r;
  }

  /// Registers and returns the outcome: the status or the error code.
  std::string outcome_of(const registration& r) {
    std::string out = "none";
    auto hdl = self->request(registry, caf::infinite, register_atom_v, r);
    deliver();
    hdl.receive([&](registration_result& res) { out = to_string(res.status); },
               [&](caf::error& err) {
                 out = std::string{info(to_problem(err).code).code};
               });
    return out;
  }

  /// Lets `n` seconds pass one at a time, delivering after each, so the
  /// registry's once-a-second idle probe runs as it would in real time.
  void let_time_pass(std::chrono::seconds n) {
    for (std::chrono::seconds i{0}; i < n; ++i) {
      advance_time(std::chrono::seconds{1});
      deliver();
    }
  }

  /// Has the registry look at its actors' mailboxes, running only the
  /// registry, so no claim actor takes a message meanwhile.
  void look_at_mailboxes() {
    auto hdl = self->request(registry, caf::infinite, health_atom_v);
    while (sched.prioritize(registry))
      sched.run_once();
    hdl.receive([](bool) {},
                [](caf::error& err) { CAF_FAIL(to_string(err)); });
  }

  uint64_t live_claims() {
    uint64_t n = 0;
    auto hdl = self->request(registry, caf::infinite, count_atom_v);
    deliver();
    hdl.receive([&](uint64_t x) { n = x; },
               [](caf::error&) { CAF_FAIL("count failed"); });
    return n;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(claim_actor_tests, fixture)

CAF_TEST(a free ID makes a holder and a held ID a claimant) {
  auto first = self->request(registry, caf::infinite, register_atom_v,
                             reg("alice", "k1"));
  deliver();
  first.receive(
    [](registration_result& r) {
      CAF_CHECK_EQUAL(r.status, account_status::active);
    },
    [](caf::error& err) { CAF_FAIL("unexpected: " << to_string(err)); });
  auto second = self->request(registry, caf::infinite, register_atom_v,
                              reg("bob", "k1", true));
  deliver();
  second.receive(
    [](registration_result& r) {
      CAF_CHECK_EQUAL(r.status, account_status::restricted);
    },
    [](caf::error& err) { CAF_FAIL("unexpected: " << to_string(err)); });
}

CAF_TEST(a refusal from the cached state needs no storage round trip) {
  auto first = self->request(registry, caf::infinite, register_atom_v,
                             reg("alice", "k2"));
  deliver();
  first.receive([](registration_result&) {},
                [](caf::error&) { CAF_FAIL("first must succeed"); });
  auto refused = self->request(registry, caf::infinite, register_atom_v,
                               reg("carol", "k2", false));
  auto before = *jobs;
  deliver();
  CAF_CHECK_EQUAL(*jobs, before);
  refused.receive(
    [](registration_result&) { CAF_FAIL("expected ID_ALREADY_REGISTERED"); },
    [](caf::error& err) {
      CAF_CHECK_EQUAL(to_problem(err).code, errc::id_already_registered);
    });
}

CAF_TEST(registrations waiting behind a write go to storage together) {
  // Three requests arrive before storage answered the first: the claim
  // actor sends the first alone and the other two as one job.
  auto a = self->request(registry, caf::infinite, register_atom_v,
                         reg("u1", "k3", true));
  auto b = self->request(registry, caf::infinite, register_atom_v,
                         reg("u2", "k3", true));
  auto c = self->request(registry, caf::infinite, register_atom_v,
                         reg("u3", "k3", true));
  // The registry forwards all three before the claim actor runs.
  while (sched.prioritize(registry))
    sched.run_once();
  deliver();
  CAF_CHECK_EQUAL(*jobs, 2);
  std::vector<account_status> seen;
  for (auto* h : {&a, &b, &c})
    h->receive([&](registration_result& r) { seen.push_back(r.status); },
               [](caf::error& err) { CAF_FAIL(to_string(err)); });
  CAF_REQUIRE_EQUAL(seen.size(), 3u);
  CAF_CHECK_EQUAL(seen[0], account_status::active);
  CAF_CHECK_EQUAL(seen[1], account_status::restricted);
  CAF_CHECK_EQUAL(seen[2], account_status::restricted);
}

CAF_TEST(a taken username does not stop the batch) {
  CAF_CHECK_EQUAL(outcome_of(reg("dup", "k4")), "active");
  CAF_CHECK_EQUAL(outcome_of(reg("dup", "k5")), "USERNAME_TAKEN");
  // The claim k5 stays free: the next registration becomes its holder.
  CAF_CHECK_EQUAL(outcome_of(reg("fresh", "k5")), "active");
}

CAF_TEST(idle claim actors stop and come back on demand) {
  CAF_CHECK_EQUAL(outcome_of(reg("idle1", "k6")), "active");
  CAF_CHECK_EQUAL(live_claims(), 1u);
  // A message at 50 s: at 61 s the claim has been quiet for only 11 s, and
  // no probe went to it.
  let_time_pass(std::chrono::seconds{50});
  CAF_CHECK_EQUAL(outcome_of(reg("idle1b", "k6")), "ID_ALREADY_REGISTERED");
  let_time_pass(std::chrono::seconds{11});
  CAF_CHECK_EQUAL(live_claims(), 1u);
  // At 59 s after that message it is still there; a second later it has
  // been quiet for 60 s: the registry probes it, the claim reports idle,
  // the registry stops it.
  let_time_pass(std::chrono::seconds{48});
  CAF_CHECK_EQUAL(live_claims(), 1u);
  let_time_pass(std::chrono::seconds{2});
  CAF_CHECK_EQUAL(live_claims(), 0u);
  // A new actor reloads the state from storage.
  CAF_CHECK_EQUAL(outcome_of(reg("idle2", "k6")), "ID_ALREADY_REGISTERED");
  CAF_CHECK_EQUAL(live_claims(), 1u);
}

CAF_TEST(a message forwarded after the idle report keeps the actor) {
  CAF_CHECK_EQUAL(outcome_of(reg("keep1", "k7")), "active");
  // The registry's timer fires and it probes the quiet claim actor.
  advance_time(std::chrono::seconds{61});
  sched.run_once();
  // Before the claim actor answers the probe, the registry forwards a new
  // registration to it: the claim's idle report then counts one message
  // fewer than the registry forwarded, so the registry keeps it.
  auto late = self->request(registry, caf::infinite, register_atom_v,
                            reg("keep2", "k7", true));
  CAF_REQUIRE(sched.prioritize(registry));
  sched.run_once();
  auto started_before = stats->started.load();
  deliver();
  late.receive(
    [](registration_result& r) {
      CAF_CHECK_EQUAL(r.status, account_status::restricted);
    },
    [](caf::error& err) { CAF_FAIL(to_string(err)); });
  CAF_CHECK_EQUAL(live_claims(), 1u);
  // The same actor served it: none was stopped and none started.
  CAF_CHECK_EQUAL(stats->stopped.load(), 0u);
  CAF_CHECK_EQUAL(stats->started.load(), started_before);
}

CAF_TEST(a claim actor that fails is restarted on its next message) {
  CAF_CHECK_EQUAL(outcome_of(reg("crash1", "k8")), "active");
  // The claim actor sent the last storage job; it dies as a handler that
  // throws makes it die.
  CAF_REQUIRE(*last_sender != nullptr);
  caf::anon_send_exit(*last_sender, caf::exit_reason::unhandled_exception);
  deliver();
  // The registry survived and forgot it; a fresh actor reloads the claim.
  CAF_CHECK_EQUAL(live_claims(), 0u);
  CAF_CHECK_EQUAL(outcome_of(reg("crash2", "k8")), "ID_ALREADY_REGISTERED");
  CAF_CHECK_EQUAL(live_claims(), 1u);
}

CAF_TEST(a registry that stops takes its claim actors with it) {
  CAF_CHECK_EQUAL(outcome_of(reg("stop1", "k10")), "active");
  CAF_REQUIRE(*last_sender != nullptr);
  auto claim = caf::actor_cast<caf::actor>(*last_sender);
  CAF_REQUIRE(claim != nullptr);
  self->monitor(claim);
  caf::anon_send_exit(registry, caf::exit_reason::user_shutdown);
  deliver();
  bool down = false;
  self->receive(
    [&](caf::down_msg& msg) {
      down = msg.source == claim.address();
      CAF_CHECK_EQUAL(msg.reason, caf::exit_reason::user_shutdown);
    },
    caf::after(std::chrono::seconds{0}) >> [] {});
  CAF_CHECK(down);
}

CAF_TEST(the registry sees messages waiting in a claim actor and how long) {
  // Three checks reach the registry a second apart; only the registry runs,
  // so all three wait in the claim actor's mailbox.
  auto forward_check = [&] {
    // No index rotation here: the claim has no other key.
    auto hdl = self->request(registry, caf::infinite, check_atom_v,
                             std::string{"k9"}, std::string{});
    while (sched.prioritize(registry))
      sched.run_once();
    advance_time(std::chrono::seconds{1});
    return hdl;
  };
  auto a = forward_check();
  auto b = forward_check();
  auto c = forward_check();
  advance_time(std::chrono::seconds{4});
  look_at_mailboxes();
  CAF_CHECK_EQUAL(stats->mailbox_max.load(), 3u);
  // The first was forwarded 3 + 4 s ago.
  CAF_CHECK_EQUAL(stats->oldest_wait_us.load(), 7'000'000);
  CAF_CHECK_EQUAL(stats->queued(), 3u);
  // The claim actor runs and answers: nothing waits any more.
  deliver();
  look_at_mailboxes();
  CAF_CHECK_EQUAL(stats->mailbox_max.load(), 0u);
  CAF_CHECK_EQUAL(stats->oldest_wait_us.load(), 0);
  for (auto* h : {&a, &b, &c})
    h->receive([](claim_check x) { CAF_CHECK_EQUAL(x, claim_check::free); },
               [](caf::error& err) { CAF_FAIL(to_string(err)); });
}

CAF_TEST_FIXTURE_SCOPE_END()
