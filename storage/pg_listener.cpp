#include "storage/pg_listener.hpp"

#include <algorithm>
#include <charconv>
#include <string>

#include <pqxx/pqxx>

#include "storage/connection.hpp"
#include "storage/storage_error.hpp"

namespace idclaim::storage {

namespace {

constexpr std::string_view account_prefix = "account:";

constexpr std::string_view listener_setup
  = "SET application_name = 'idclaim-listener'";

/// Collects the accounts named by the notifications of one wait().
class change_receiver final : public pqxx::notification_receiver {
public:
  change_receiver(pqxx::connection_base& c, std::vector<account_id>& out)
    : pqxx::notification_receiver(c, std::string{change_channel}), out_(out) {}

  void operator()(const std::string& payload, int) override {
    auto id = parse_change_payload(payload);
    if (id && std::find(out_.begin(), out_.end(), *id) == out_.end())
      out_.push_back(*id);
  }

private:
  std::vector<account_id>& out_;
};

} // namespace

std::optional<account_id> parse_change_payload(std::string_view payload) {
  if (payload.substr(0, account_prefix.size()) != account_prefix)
    return std::nullopt;
  auto digits = payload.substr(account_prefix.size());
  account_id id = 0;
  auto [end, ec]
    = std::from_chars(digits.data(), digits.data() + digits.size(), id);
  if (ec != std::errc{} || end != digits.data() + digits.size()
      || digits.empty() || id <= 0)
    return std::nullopt;
  return id;
}

struct pg_listener::impl {
  pg_options options;
  std::vector<account_id> pending;
  // Declared after `pending` and before nothing that outlives it: the
  // receiver must go before its connection.
  std::unique_ptr<pqxx::connection> conn;
  std::unique_ptr<change_receiver> receiver;
  std::chrono::steady_clock::time_point last_traffic;

  void drop() noexcept {
    receiver.reset();
    conn.reset();
  }

  /// Rethrows the exception being handled as a lost connection, keeping
  /// only the server's first line.
  [[noreturn]] void lost(const char* during) {
    drop();
    std::string why;
    try {
      throw;
    } catch (const std::exception& e) {
      why = e.what();
    } catch (...) {
      why = "unknown failure";
    }
    why = why.substr(0, why.find('\n'));
    throw storage_error(std::string{"listener "} + during + ": " + why,
                        failure_kind::connection_lost);
  }
};

pg_listener::pg_listener(pg_options options) : impl_(std::make_unique<impl>()) {
  impl_->options = std::move(options);
}

pg_listener::~pg_listener() {
  impl_->drop();
}

void pg_listener::connect() {
  impl_->drop();
  try {
    impl_->conn = std::make_unique<pqxx::connection>(impl_->options.url);
    {
      pqxx::nontransaction setup{*impl_->conn};
      setup.exec(std::string{listener_setup});
    }
    // Registering the receiver sends LISTEN.
    impl_->receiver
      = std::make_unique<change_receiver>(*impl_->conn, impl_->pending);
    impl_->last_traffic = std::chrono::steady_clock::now();
  } catch (...) {
    impl_->lost("connect");
  }
}

bool pg_listener::connected() const {
  return impl_->conn != nullptr;
}

std::vector<account_id> pg_listener::wait(std::chrono::milliseconds timeout) {
  using namespace std::chrono;
  if (!impl_->conn)
    throw storage_error("listener not connected",
                        failure_kind::connection_lost);
  try {
    auto now = steady_clock::now();
    if (now - impl_->last_traffic >= keepalive) {
      pqxx::nontransaction ping{*impl_->conn};
      ping.exec("SELECT 1");
      impl_->last_traffic = now;
    }
    auto us = duration_cast<microseconds>(timeout).count();
    if (impl_->conn->await_notification(us / 1000000, us % 1000000) > 0)
      impl_->last_traffic = steady_clock::now();
    // A dead socket reads as "ready" without notifications; libpq only
    // notices when input is consumed, which the next call does.
    if (!impl_->conn->is_open())
      throw storage_error("connection closed", failure_kind::connection_lost);
  } catch (...) {
    impl_->lost("wait");
  }
  return std::exchange(impl_->pending, {});
}

int pg_listener::backend_pid() const {
  return impl_->conn ? impl_->conn->backendpid() : 0;
}

} // namespace idclaim::storage
