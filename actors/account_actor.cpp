#include "actors/account_actor.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <optional>

#include <caf/actor_clock.hpp>
#include <caf/actor_system.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>
#include <nlohmann/json.hpp>

#include "actors/assist_transactions.hpp"
#include "domain/masking.hpp"

namespace idclaim::actors {

namespace {

/// What the live pages of an account show.
struct live_view {
  int64_t unread = 0;
  std::string status;
  std::string mobile; ///< masked
  bool mobile_bound = false;

  /// Whether the account frame of `other` differs from this one's.
  bool same_account(const live_view& other) const {
    return status == other.status && mobile == other.mobile
           && mobile_bound == other.mobile_bound;
  }
};

struct queued_attempt {
  assist_attempt attempt;
  caf::typed_response_promise<assist_sent> promise;
};

struct account_state {
  account_id id = 0;
  account_context ctx;
  account_idle_reporter registry;
  std::map<uint64_t, event_subscriber> subscribers;
  std::vector<uint64_t> waiting_first_view; ///< joined, not served yet
  std::optional<live_view> shown;           ///< what was pushed last
  bool loading = false;
  bool reload_again = false;
  std::deque<queued_attempt> attempts;
  bool attempt_in_flight = false;
  uint64_t handled = 0;
  taken_counter taken; ///< the registry's view of `handled`
  caf::actor_clock::time_point last_activity;
  static inline const char* name = "account";
};

using account_pointer = account_actor::stateful_pointer<account_state>;

void push(const event_subscriber& s, std::shared_ptr<const std::string> f) {
  if (s.push)
    s.push(std::move(f));
}

/// Pushes everything to new subscribers, and what changed to the others
/// (a new subscriber must not see its first view twice).
void show(account_pointer self, const live_view& view) {
  auto& st = self->state;
  auto inbox = inbox_frame(view.unread);
  auto account = account_frame(view.status, view.mobile, view.mobile_bound);
  auto fresh = std::exchange(st.waiting_first_view, {});
  bool unread_changed = !st.shown || st.shown->unread != view.unread;
  bool account_changed = !st.shown || !st.shown->same_account(view);
  st.shown = view;
  for (auto& [id, s] : st.subscribers) {
    bool is_fresh = std::find(fresh.begin(), fresh.end(), id) != fresh.end();
    if (is_fresh || unread_changed)
      push(s, inbox);
    if (is_fresh || account_changed)
      push(s, account);
  }
}

/// Reads the live view from storage; changes arriving meanwhile trigger
/// one more read, so the last push always reflects the last change.
void reload(account_pointer self) {
  auto& st = self->state;
  if (st.loading) {
    st.reload_again = true;
    return;
  }
  queue_gate::pass pass;
  if (!try_admit(st.ctx.db_gate, pass))
    return; // storage is overloaded; the next change tries again
  st.loading = true;
  auto out = std::make_shared<live_view>();
  // The job holds the pass, so its place frees once storage is done.
  db_job job{
    [id = st.id, out, pass, cipher = st.ctx.cipher](storage::connection& conn) {
      out->unread = conn.inbox().unread(id);
      auto row = conn.accounts().find(id);
      out->status = row ? std::string{to_string(row->status)} : "cancelled";
      if (row && cipher) {
        // Masked here, on the storage thread: the full mobile never leaves.
        auto mobile = cipher->open(row->mobile_cipher, "account.mobile");
        out->mobile = domain::mask_mobile(mobile.value_or(""));
        out->mobile_bound = row->mobile_bound;
      }
    }};
  self->request(st.ctx.db, st.ctx.storage_timeout, run_atom_v, std::move(job))
    .then(
      [=](bool) {
        self->state.loading = false;
        show(self, *out);
        if (std::exchange(self->state.reload_again, false))
          reload(self);
      },
      [=](caf::error&) {
        // Storage is down; the next change (or reconnect) tries again.
        self->state.loading = false;
      });
}

void next_attempt(account_pointer self) {
  auto& st = self->state;
  if (st.attempt_in_flight || st.attempts.empty())
    return;
  st.attempt_in_flight = true;
  auto item = std::make_shared<queued_attempt>(std::move(st.attempts.front()));
  st.attempts.pop_front();
  queue_gate::pass pass;
  if (!try_admit(st.ctx.db_gate, pass)) {
    // The storage queue is full: answer 503 now rather than wait in line.
    item->promise.deliver(to_error(make_problem(errc::unavailable)));
    st.attempt_in_flight = false;
    return next_attempt(self);
  }
  auto out = std::make_shared<assist_outcome>();
  txn_env env{st.ctx.time->now_ms(), st.ctx.cipher,
              static_cast<int64_t>(st.ctx.assist_ttl.count()), st.ctx.index};
  db_job job{[attempt = item->attempt, out, env,
              pass](storage::connection& conn) {
    *out = run_assist_attempt(conn, attempt, env);
  }};
  self->request(st.ctx.db, st.ctx.storage_timeout, run_atom_v, std::move(job))
    .then(
      [=](bool) {
        if (auto sent = std::get_if<assist_sent>(&out->result))
          item->promise.deliver(*sent);
        else
          item->promise.deliver(to_error(std::get<problem>(out->result)));
        if (!out->effects.sms.empty() && self->state.ctx.sms)
          self->send(self->state.ctx.sms, sms_atom_v,
                     std::move(out->effects.sms));
        self->state.attempt_in_flight = false;
        next_attempt(self);
      },
      [=](caf::error& err) {
        item->promise.deliver(err);
        self->state.attempt_in_flight = false;
        next_attempt(self);
      });
}

void touch(account_pointer self) {
  self->state.handled += 1;
  count_taken(self->state.taken);
  if (self->state.ctx.stats)
    self->state.ctx.stats->handled.fetch_add(1, std::memory_order_relaxed);
  self->state.last_activity = self->clock().now();
}

account_actor::behavior_type account_impl(account_pointer self, account_id id,
                                          account_context ctx,
                                          account_idle_reporter registry,
                                          taken_counter taken) {
  auto& st = self->state;
  st.id = id;
  st.ctx = std::move(ctx);
  st.registry = std::move(registry);
  st.taken = std::move(taken);
  st.last_activity = self->clock().now();
  self->delayed_send(self, st.ctx.idle_after, idle_atom_v);
  return {
    [=](assist_atom, assist_attempt& attempt) -> caf::result<assist_sent> {
      touch(self);
      auto promise = self->make_response_promise<assist_sent>();
      self->state.attempts.push_back({std::move(attempt), promise});
      next_attempt(self);
      return promise;
    },
    [=](join_ws_atom, event_subscriber& s) {
      touch(self);
      if (self->state.subscribers.size() >= self->state.ctx.max_sockets) {
        // Too many tabs (or a client leaking sockets): refuse this one.
        if (s.close)
          s.close();
        return;
      }
      auto sid = s.id;
      self->state.subscribers.emplace(sid, std::move(s));
      self->state.waiting_first_view.push_back(sid);
      // Always read afresh: the page must show the current state at once.
      reload(self);
    },
    [=](leave_ws_atom, uint64_t sid) {
      touch(self);
      self->state.subscribers.erase(sid);
    },
    [=](changed_atom) {
      touch(self);
      if (!self->state.subscribers.empty())
        reload(self);
      else
        self->state.shown.reset();
    },
    [=](changed_atom, int64_t unread) {
      touch(self);
      auto& st = self->state;
      if (st.subscribers.empty()) {
        st.shown.reset();
        return;
      }
      // Only with a view already shown and no read in flight: a read's
      // answer may come later and must not be mixed with this count, so
      // then the usual reload runs after it.
      if (!st.shown || st.loading) {
        reload(self);
        return;
      }
      auto view = *st.shown;
      view.unread = unread;
      show(self, view);
    },
    [=](close_atom, const session_close& which) {
      touch(self);
      auto& subs = self->state.subscribers;
      for (auto i = subs.begin(); i != subs.end();) {
        bool match = (i->second.session_digest == which.digest) != which.others;
        if (match) {
          if (i->second.close)
            i->second.close();
          i = subs.erase(i);
        } else {
          ++i;
        }
      }
    },
    [=](idle_atom) {
      auto& st = self->state;
      auto quiet = self->clock().now() - st.last_activity;
      bool busy = !st.subscribers.empty() || st.attempt_in_flight
                  || !st.attempts.empty() || st.loading;
      if (!busy && quiet >= st.ctx.idle_after)
        self->send(st.registry, idle_atom_v, st.id, st.handled);
      self->delayed_send(self, st.ctx.idle_after, idle_atom_v);
    },
    [=](stop_atom) { self->quit(); },
  };
}

} // namespace

std::shared_ptr<const std::string> inbox_frame(int64_t unread) {
  return std::make_shared<const std::string>(
    nlohmann::json{{"type", "inbox"}, {"unread", unread}}.dump());
}

std::shared_ptr<const std::string> account_frame(std::string_view status,
                                                 std::string_view masked_mobile,
                                                 bool mobile_bound) {
  return std::make_shared<const std::string>(nlohmann::json{
    {"type", "account"},
    {"status", status},
    {"mobile", masked_mobile},
    {"mobile_bound", mobile_bound}}.dump());
}

account_actor spawn_account_actor(caf::actor_system& sys, account_id id,
                                  account_context ctx,
                                  account_idle_reporter registry,
                                  taken_counter taken) {
  return sys.spawn(account_impl, id, std::move(ctx), std::move(registry),
                   std::move(taken));
}

} // namespace idclaim::actors
