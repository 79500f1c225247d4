#include "actors/claim_actor.hpp"

#include <optional>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "actors/claim_transactions.hpp"

namespace idclaim::actors {

namespace {

/// An op waiting for storage, and how to answer its sender.
struct queued_op {
  claim_op op;
  std::function<void(claim_outcome&)> deliver;
  std::function<void(const caf::error&)> fail;
};

struct claim_state_data {
  std::string key;
  /// The ID's value under the other index key during a rotation, as the
  /// latest request computed it (empty otherwise): the claim row may still
  /// be stored under it.
  std::string other_key;
  /// Shared by every claim actor of the registry: one copy, not one each.
  std::shared_ptr<const claim_context> ctx;
  idle_reporter registry;
  std::optional<claim_state> cached; ///< nullopt until storage answered
  /// A vector, not a deque: an empty std::deque already holds ~600 bytes,
  /// and every idle actor has an empty queue.
  std::vector<queued_op> queue;
  std::vector<caf::typed_response_promise<claim_check>> checks;
  bool in_flight = false;
  /// Messages received from the registry, counted where the registry
  /// reads them too (one counter, not a second copy in the state).
  taken_counter taken;
  static inline const char* name = "claim";
};

using claim_pointer = claim_actor::stateful_pointer<claim_state_data>;

claim_check to_check(const claim_state& s) {
  if (s.under_review())
    return claim_check::under_review;
  return s.held() ? claim_check::registered : claim_check::free;
}

/// Answers what the cached state alone decides: refusals. Registrations
/// that may write go to storage, where the same rule is applied again.
std::optional<problem> cached_refusal(const claim_state_data& st,
                                      const registration& reg) {
  if (!st.cached || !st.ctx->trust_cache)
    return std::nullopt;
  auto d = decide_registration(*st.cached, reg.acknowledge_duplicate);
  if (d == registration_decision::refuse_under_review)
    return make_problem(errc::id_under_review, "id_number");
  if (d == registration_decision::refuse_held)
    return make_problem(errc::id_already_registered, "id_number");
  return std::nullopt;
}

/// Queues `op` and returns the promise its outcome will fulfil.
template <class T>
caf::typed_response_promise<T> enqueue(claim_pointer self, claim_op op) {
  auto promise = self->make_response_promise<T>();
  self->state.queue.push_back(queued_op{
    std::move(op),
    [promise](claim_outcome& out) mutable {
      if (auto p = std::get_if<problem>(&out))
        promise.deliver(to_error(*p));
      else
        promise.deliver(std::move(std::get<T>(out)));
    },
    [promise](const caf::error& err) mutable { promise.deliver(err); }});
  return promise;
}

void start_batch(claim_pointer self);

void finish_batch(claim_pointer self, std::vector<queued_op>& taken,
                  std::vector<caf::typed_response_promise<claim_check>>& checks,
                  claim_batch_result& out) {
  auto& st = self->state;
  st.cached = out.state;
  for (std::size_t i = 0; i < taken.size(); ++i)
    taken[i].deliver(out.outcomes[i]);
  for (auto& c : checks)
    c.deliver(to_check(out.state));
  if (!out.effects.sms.empty() && st.ctx->sms)
    self->send(st.ctx->sms, sms_atom_v, std::move(out.effects.sms));
}

void fail_batch(claim_pointer self, std::vector<queued_op>& taken,
                std::vector<caf::typed_response_promise<claim_check>>& checks,
                const caf::error& err) {
  // After a failure we no longer trust the cache; the next batch reloads.
  self->state.cached.reset();
  for (auto& q : taken)
    q.fail(err);
  for (auto& c : checks)
    c.deliver(err);
}

/// Sends everything queued to storage as one job; one job in flight at a
/// time keeps this claim's writes in order.
void start_batch(claim_pointer self) {
  auto& st = self->state;
  if (st.in_flight || (st.queue.empty() && st.checks.empty()))
    return;
  st.in_flight = true;
  auto taken = std::make_shared<std::vector<queued_op>>(std::move(st.queue));
  st.queue.clear();
  auto checks = std::make_shared<
    std::vector<caf::typed_response_promise<claim_check>>>(
    std::move(st.checks));
  st.checks.clear();
  queue_gate::pass pass;
  if (!try_admit(st.ctx->db_gate, pass)) {
    // The storage queue is full: answer 503 now rather than wait in line.
    fail_batch(self, *taken, *checks,
               to_error(make_problem(errc::unavailable)));
    st.in_flight = false;
    return;
  }
  std::vector<claim_op> ops;
  for (auto& q : *taken)
    ops.push_back(q.op);
  auto out = std::make_shared<claim_batch_result>();
  txn_env env{st.ctx->time->now_ms(), st.ctx->cipher};
  // The job holds the pass, so its place frees once storage is done.
  db_job job{[keys = claim_keys{st.key, st.other_key}, ops = std::move(ops),
              out, env, pass](storage::connection& conn) {
    *out = run_claim_ops(conn, keys, ops, env);
  }};
  self->request(st.ctx->db, st.ctx->storage_timeout, run_atom_v, std::move(job))
    .then(
      [=](bool) {
        finish_batch(self, *taken, *checks, *out);
        self->state.in_flight = false;
        start_batch(self);
      },
      [=](caf::error& err) {
        fail_batch(self, *taken, *checks, err);
        self->state.in_flight = false;
        start_batch(self);
      });
}

void touch(claim_pointer self) {
  count_taken(self->state.taken);
  if (self->state.ctx->stats)
    self->state.ctx->stats->handled.fetch_add(1, std::memory_order_relaxed);
}

claim_actor::behavior_type claim_impl(claim_pointer self, std::string key,
                                      std::shared_ptr<const claim_context> ctx,
                                      idle_reporter registry,
                                      taken_counter taken) {
  auto& st = self->state;
  st.key = std::move(key);
  st.ctx = std::move(ctx);
  st.registry = std::move(registry);
  // Spawned without a registry's counter (as in a unit test): count on one
  // of its own, since the idle report needs the count.
  st.taken = taken != nullptr
               ? std::move(taken)
               : std::make_shared<std::atomic<std::uint64_t>>(0);
  return {
    [=](register_atom, registration& reg) -> caf::result<registration_result> {
      touch(self);
      self->state.other_key = reg.other_claim_key;
      if (auto refusal = cached_refusal(self->state, reg))
        return to_error(*refusal);
      auto promise = enqueue<registration_result>(self, std::move(reg));
      start_batch(self);
      return promise;
    },
    [=](check_atom, std::string& other) -> caf::result<claim_check> {
      touch(self);
      auto& st = self->state;
      st.other_key = std::move(other);
      if (st.cached && !st.in_flight && st.ctx->trust_cache)
        return to_check(*st.cached);
      auto promise = self->make_response_promise<claim_check>();
      st.checks.push_back(promise);
      start_batch(self);
      return promise;
    },
    [=](review_atom, review_submission& sub) -> caf::result<review_opened> {
      touch(self);
      auto promise = enqueue<review_opened>(self, std::move(sub));
      start_batch(self);
      return promise;
    },
    [=](settle_atom,
        resolution_request& req) -> caf::result<resolution_result> {
      touch(self);
      auto promise = enqueue<resolution_result>(self, std::move(req));
      start_batch(self);
      return promise;
    },
    [=](reject_atom, review_rejection& rej) -> caf::result<bool> {
      touch(self);
      auto promise = enqueue<bool>(self, std::move(rej));
      start_batch(self);
      return promise;
    },
    [=](idle_atom) {
      // The registry's probe: it has seen no message for this claim for a
      // while. Storage work still in flight keeps the actor; otherwise it
      // reports how many messages it took, and the registry stops it if
      // that is all it forwarded.
      auto& st = self->state;
      bool busy = st.in_flight || !st.queue.empty() || !st.checks.empty();
      if (!busy)
        self->send(st.registry, idle_atom_v, st.key,
                   st.taken->load(std::memory_order_relaxed));
    },
    [=](stop_atom) { self->quit(); },
  };
}

} // namespace

claim_actor spawn_claim_actor(caf::actor_system& sys, std::string claim_key,
                              std::shared_ptr<const claim_context> ctx,
                              idle_reporter registry,
                              taken_counter taken) {
  return sys.spawn(claim_impl, std::move(claim_key), std::move(ctx),
                   std::move(registry), std::move(taken));
}

} // namespace idclaim::actors
