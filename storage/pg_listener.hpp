#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "domain/account.hpp"
#include "storage/pg_driver.hpp"

namespace idclaim::storage {

/// The account a change notification names ("account:<id>", as
/// connection::account_changed sends it), or nothing for any other payload.
std::optional<account_id> parse_change_payload(std::string_view payload);

/// A dedicated PostgreSQL connection that LISTENs on `change_channel`, so
/// that this process hears of the accounts other processes changed (their
/// NOTIFY is sent inside the committing transaction, so only committed
/// changes arrive). Every call blocks: use it from a detached actor or
/// thread of its own, never from CAF's scheduler or an Asio thread.
///
/// A notification sent while this connection was down is lost for good;
/// the caller learns of the gap because wait() throws and must then make
/// every live page reload after it reconnects (see listener_actor).
class pg_listener {
public:
  /// Does not connect yet.
  explicit pg_listener(pg_options options);
  ~pg_listener();
  pg_listener(const pg_listener&) = delete;
  pg_listener& operator=(const pg_listener&) = delete;

  /// (Re)connects and LISTENs (application_name `idclaim-listener`).
  /// Throws storage_error (connection_lost) when the server is unreachable.
  void connect();

  /// Whether the last connect() succeeded and no wait() failed since.
  bool connected() const;

  /// Waits at most `timeout` for notifications and returns the accounts
  /// they name, each once, in arrival order (empty on timeout). After
  /// `keepalive` without any traffic it sends a trivial query, so that a
  /// silently dead link is noticed. Throws storage_error (connection_lost)
  /// when the connection broke; connected() is then false.
  std::vector<account_id> wait(std::chrono::milliseconds timeout);

  /// The server process of this connection (for tests that kill it), or 0.
  int backend_pid() const;

  /// How long the link may be silent before wait() checks it.
  static constexpr std::chrono::seconds keepalive{5};

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

} // namespace idclaim::storage
