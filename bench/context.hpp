#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "bench/load_client.hpp"
#include "bench/options.hpp"
#include "bench/report.hpp"
#include "bench/server_process.hpp"
#include "bench/sync_client.hpp"
#include "bench/workload.hpp"

namespace idclaim::bench {

/// Thrown by a scenario whose endpoint answers 404: the runner reports it
/// as "skipped: endpoint missing" instead of a failure.
struct endpoint_missing : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Thrown by a scenario that cannot run in this setting (e.g. it needs a
/// server of our own); reported as "skipped: <reason>".
struct scenario_skipped : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// What every scenario shares: options, the report being filled, the
/// identity source and the servers.
class bench_context {
public:
  bench_context(const options& opts, report& rep);
  ~bench_context();

  const options& opts;
  const scale& sc;
  report& rep;
  identity_source ids;

  /// Reserves `n` identity numbers for one use; returns the first.
  std::uint64_t take_ids(std::uint64_t n) { return next_id_.fetch_add(n); }

  /// The defaults for starting a server of our own.
  server_options server_defaults(const std::string& hash_cost) const;

  /// A server of our own started with `so`, or the --target server.
  std::unique_ptr<server_handle> start_server(const server_options& so);

  /// The one fast-hash server S0, S1 and S2 share, so that their ratios
  /// come from the same process; started on first use.
  server_handle& shared_fast();

  /// Stops the shared server (before scenarios that need the CPU).
  void release_shared();

  /// Whether we drive a server given by --target.
  bool external() const { return !opts.target_host.empty(); }

  /// A plan aimed at `srv` with the run's thread count.
  load_plan plan(const server_handle& srv, const std::string& scenario,
                 const std::string& label) const;

  /// Runs `p`, books the record (marked for the plot if `plot`) and
  /// returns it.
  run_record run(const load_plan& p, bool plot = false);

  /// Sets a named value of the report.
  void set(const std::string& key, double value) { rep.values[key] = value; }

  /// A named value, if measured.
  std::optional<double> get(const std::string& key) const;

  /// Throws endpoint_missing when `method target` answers 404 on `srv`.
  void
  require_endpoint(const server_handle& srv, boost::beast::http::verb method,
                   const std::string& target, const std::string& body = "{}",
                   const std::string& content_type = "application/json") const;

private:
  std::atomic<std::uint64_t> next_id_{0};
  std::unique_ptr<server_handle> shared_;
};

// -- setup helpers -------------------------------------------------------

/// POST /api/v1/accounts for identity `n` on ID `id`.
json_answer register_account(sync_client& c, const identity_source& ids,
                             const std::string& role, std::uint64_t n,
                             const std::string& id, bool acknowledge);

/// POST /api/v1/sessions; returns the token.
/// @throws std::runtime_error when the login is refused.
std::string login(sync_client& c, const std::string& username,
                  const std::string& password);

/// A closed-loop plan body: POST /api/v1/accounts for identity base + seq
/// on its own ID.
request_spec distinct_registration(const identity_source& ids, std::uint64_t n);

/// Milliseconds as a duration.
inline std::chrono::milliseconds ms_of(double ms) {
  return std::chrono::milliseconds{static_cast<std::int64_t>(ms)};
}

/// Sleeps `d`.
void pause_for(std::chrono::milliseconds d);

/// "12.3 MiB" and friends.
std::string bytes_text(double bytes);

} // namespace idclaim::bench
