#include "bench/load_client.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <limits>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include <boost/asio/error.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "bench/proc_stats.hpp"

namespace idclaim::bench {

namespace {

namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using std::chrono::duration_cast;
using std::chrono::nanoseconds;

/// After a failed connect, a closed-loop client waits this long before its
/// next attempt, so that a dead server does not make it spin.
constexpr std::chrono::milliseconds reconnect_backoff{50};

/// One request of the run: its number and when it was meant to leave.
struct job {
  std::uint64_t seq = 0;
  bench_clock::time_point intended;
};

/// Everything the shards of one run share. Counters are atomics because
/// the progress thread reads them while the shards write.
struct run_state {
  explicit run_state(const load_plan& p) : plan(p) {}

  const load_plan& plan;
  tcp::endpoint endpoint;
  std::string host_header;
  bench_clock::time_point t0;
  bench_clock::time_point window_start;
  bench_clock::time_point window_end;
  std::uint64_t total = 0; ///< requests the run may issue at most
  double interval_ns = 0;  ///< open loop: time between intended sends

  std::atomic<std::uint64_t> next_seq{0}; ///< closed loop
  latency_histogram ok_hist;
  latency_histogram other_hist;
  std::array<std::atomic<std::uint64_t>, 600> statuses{};
  std::atomic<std::uint64_t> issued{0};
  std::atomic<std::uint64_t> answered{0};
  std::atomic<std::uint64_t> answered_all{0};
  std::atomic<std::uint64_t> ok{0};
  std::atomic<std::uint64_t> ok_in_window{0};
  std::atomic<std::uint64_t> transport_errors{0};
  std::atomic<std::uint64_t> timeouts{0};
  std::atomic<std::uint64_t> unfinished{0};
  std::atomic<std::uint64_t> retry_after{0};
  std::atomic<std::uint64_t> queued{0};
  std::atomic<std::uint64_t> max_queue{0};

  bench_clock::time_point intended(std::uint64_t seq) const {
    return t0
           + nanoseconds(static_cast<int64_t>(
             std::llround(static_cast<double>(seq) * interval_ns)));
  }

  bool in_window(bench_clock::time_point t) const {
    return t >= window_start && t < window_end;
  }
};

class shard;

/// One keep-alive connection; carries one request at a time.
class connection : public std::enable_shared_from_this<connection> {
public:
  connection(shard& owner, net::io_context& ioc)
    : owner_(owner), stream_(ioc), backoff_(ioc) {}

  /// Connects ahead of the run; calls `done` either way.
  void open(std::function<void()> done);

  /// Sends `j` (connecting first if need be); reports back to the shard.
  void send(job j);

  /// Whether the socket is connected.
  bool connected() const { return connected_; }

  /// Closes the socket; pending operations end with operation_aborted.
  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
    connected_ = false;
  }

private:
  void connect();
  void on_connect(beast::error_code ec);
  void write();
  void on_write(beast::error_code ec, std::size_t);
  void on_read(beast::error_code ec, std::size_t);
  void fail(beast::error_code ec, bool connecting);

  shard& owner_;
  beast::tcp_stream stream_;
  net::steady_timer backoff_;
  beast::flat_buffer buffer_;
  bhttp::request<bhttp::string_body> req_;
  http_answer res_;
  job job_;
  bool connected_ = false;
  bool retried_ = false;   ///< this job was resent once already
  std::uint64_t used_ = 0; ///< requests answered on this socket
};

/// The connections of one client thread and the logic that feeds them.
class shard {
public:
  shard(run_state& st, std::size_t index, std::size_t threads,
        std::size_t connections)
    : st_(st), index_(index), threads_(threads), tick_(ioc), drain_(ioc) {
    for (std::size_t i = 0; i < connections; ++i)
      conns_.push_back(std::make_shared<connection>(*this, ioc));
  }

  net::io_context ioc;

  // -- called by run_load --------------------------------------------------

  /// Connects every connection, then calls `done` (on the shard's thread).
  void connect_all(std::function<void()> done) {
    if (conns_.empty())
      return done();
    auto left = std::make_shared<std::size_t>(conns_.size());
    for (auto& c : conns_)
      c->open([left, done] {
        if (--*left == 0)
          done();
      });
  }

  /// Connections that are open (read on the shard's thread).
  std::size_t connected() const {
    std::size_t n = 0;
    for (auto& c : conns_)
      n += c->connected() ? 1 : 0;
    return n;
  }

  /// Closes every connection without running (for a run that cannot
  /// start).
  void abandon() {
    stopping_ = true;
    for (auto& c : conns_)
      c->close();
  }

  /// Starts issuing requests.
  void start() {
    if (conns_.empty())
      return;
    if (st_.plan.mode == loop_mode::open) {
      idle_ = conns_;
      drain_.expires_at(st_.window_end + st_.plan.drain_limit);
      drain_.async_wait([this](beast::error_code ec) { on_drain_limit(ec); });
      arm_timer();
    } else {
      for (auto& c : conns_)
        issue_closed(c);
    }
  }

  // -- called by connections -----------------------------------------------

  request_spec make(std::uint64_t seq) const { return st_.plan.make(seq); }
  const run_state& state() const { return st_; }
  bool stopping() const { return stopping_; }

  /// Books an answer to `j` that arrived at `now`.
  void on_answer(const job& j, const http_answer& res,
                 bench_clock::time_point now) {
    auto status = res.result_int();
    bool counted = st_.plan.mode == loop_mode::open ? st_.in_window(j.intended)
                                                    : st_.in_window(now);
    bool ok = status >= 200 && status < 300;
    st_.answered_all.fetch_add(1, std::memory_order_relaxed);
    if (ok && st_.in_window(now))
      st_.ok_in_window.fetch_add(1, std::memory_order_relaxed);
    if (counted) {
      auto latency = now - j.intended;
      (ok ? st_.ok_hist : st_.other_hist).record(latency);
      st_.answered.fetch_add(1, std::memory_order_relaxed);
      if (ok)
        st_.ok.fetch_add(1, std::memory_order_relaxed);
      st_.statuses[std::min<unsigned>(status, 599)].fetch_add(
        1, std::memory_order_relaxed);
      if (status == 503 && res.find(bhttp::field::retry_after) != res.end())
        st_.retry_after.fetch_add(1, std::memory_order_relaxed);
    }
    if (st_.plan.sink)
      st_.plan.sink(j.seq, j.intended, res);
  }

  /// Books a request that got no answer.
  void on_failure(beast::error_code ec) {
    if (stopping_ && ec == net::error::operation_aborted)
      st_.unfinished.fetch_add(1, std::memory_order_relaxed);
    else if (ec == beast::error::timeout)
      st_.timeouts.fetch_add(1, std::memory_order_relaxed);
    else
      st_.transport_errors.fetch_add(1, std::memory_order_relaxed);
  }

  /// A connection finished its request and can take another.
  void on_free(const std::shared_ptr<connection>& c) {
    if (stopping_)
      return;
    if (st_.plan.mode == loop_mode::closed)
      return issue_closed(c);
    auto now = bench_clock::now();
    while (!waiting_.empty()) {
      auto j = waiting_.front();
      waiting_.pop_front();
      st_.queued.fetch_sub(1, std::memory_order_relaxed);
      // A request that waited past its deadline is a timeout, unsent.
      if (now - j.intended >= st_.plan.request_timeout) {
        st_.timeouts.fetch_add(1, std::memory_order_relaxed);
        continue;
      }
      return c->send(j);
    }
    --busy_;
    idle_.push_back(c);
    maybe_finish();
  }

private:
  // -- open loop -----------------------------------------------------------

  std::uint64_t next_open_seq() const { return index_ + next_ * threads_; }

  void arm_timer() {
    auto seq = next_open_seq();
    if (seq >= st_.total) {
      issuing_done_ = true;
      return maybe_finish();
    }
    tick_.expires_at(st_.intended(seq));
    tick_.async_wait([this](beast::error_code ec) {
      if (!ec)
        on_tick();
    });
  }

  void on_tick() {
    auto now = bench_clock::now();
    // Everything due by now leaves now, so a late timer does not lower the
    // rate; the lateness is part of each request's latency.
    for (auto seq = next_open_seq();
         seq < st_.total && st_.intended(seq) <= now; seq = next_open_seq()) {
      dispatch(job{seq, st_.intended(seq)});
      ++next_;
    }
    arm_timer();
  }

  void dispatch(job j) {
    st_.issued.fetch_add(1, std::memory_order_relaxed);
    if (!idle_.empty()) {
      auto c = idle_.back();
      idle_.pop_back();
      ++busy_;
      return c->send(j);
    }
    // No free connection: the request waits, and the wait counts.
    waiting_.push_back(j);
    auto q = st_.queued.fetch_add(1, std::memory_order_relaxed) + 1;
    auto seen = st_.max_queue.load(std::memory_order_relaxed);
    while (q > seen && !st_.max_queue.compare_exchange_weak(seen, q)) {
    }
  }

  void maybe_finish() {
    if (issuing_done_ && busy_ == 0 && waiting_.empty())
      finish();
  }

  void on_drain_limit(beast::error_code ec) {
    if (ec || stopping_)
      return;
    st_.unfinished.fetch_add(waiting_.size(), std::memory_order_relaxed);
    st_.queued.fetch_sub(waiting_.size(), std::memory_order_relaxed);
    waiting_.clear();
    finish();
  }

  // -- closed loop ---------------------------------------------------------

  void issue_closed(const std::shared_ptr<connection>& c) {
    auto now = bench_clock::now();
    std::uint64_t seq = 0;
    if (now < st_.window_end) {
      seq = st_.next_seq.fetch_add(1, std::memory_order_relaxed);
      if (seq < st_.total) {
        st_.issued.fetch_add(1, std::memory_order_relaxed);
        return c->send(job{seq, now});
      }
    }
    c->close();
    if (++retired_ == conns_.size())
      finish();
  }

  // -- both ----------------------------------------------------------------

  /// Stops the shard: in-flight requests end as unfinished.
  void finish() {
    if (stopping_)
      return;
    stopping_ = true;
    tick_.cancel();
    drain_.cancel();
    for (auto& c : conns_)
      c->close();
  }

  run_state& st_;
  std::size_t index_;
  std::size_t threads_;
  std::vector<std::shared_ptr<connection>> conns_;
  std::vector<std::shared_ptr<connection>> idle_;
  std::deque<job> waiting_;
  net::steady_timer tick_;
  net::steady_timer drain_;
  std::uint64_t next_ = 0;  ///< open loop: this shard's next local index
  std::size_t busy_ = 0;    ///< open loop: connections carrying a request
  std::size_t retired_ = 0; ///< closed loop: clients that stopped
  bool issuing_done_ = false;
  bool stopping_ = false;
};

// -- connection -------------------------------------------------------------

void connection::open(std::function<void()> done) {
  stream_.expires_after(std::chrono::seconds{10});
  stream_.async_connect(
    owner_.state().endpoint,
    [self = shared_from_this(), done = std::move(done)](beast::error_code ec) {
      self->connected_ = !ec;
      if (!ec)
        self->stream_.socket().set_option(tcp::no_delay(true), ec);
      done();
    });
}

void connection::send(job j) {
  job_ = j;
  retried_ = false;
  auto spec = owner_.make(j.seq);
  req_ = {};
  req_.method(spec.method);
  req_.target(spec.target);
  req_.version(11);
  req_.set(bhttp::field::host, owner_.state().host_header);
  req_.set(bhttp::field::user_agent, "idclaim-bench");
  req_.keep_alive(true);
  if (!spec.token.empty())
    req_.set(bhttp::field::authorization, "Bearer " + spec.token);
  if (!spec.body.empty()) {
    req_.set(bhttp::field::content_type, spec.content_type);
    req_.body() = std::move(spec.body);
  }
  req_.prepare_payload();
  if (connected_)
    return write();
  connect();
}

void connection::connect() {
  stream_.expires_at(job_.intended + owner_.state().plan.request_timeout);
  stream_.async_connect(
    owner_.state().endpoint,
    beast::bind_front_handler(&connection::on_connect, shared_from_this()));
}

void connection::on_connect(beast::error_code ec) {
  if (ec)
    return fail(ec, true);
  connected_ = true;
  used_ = 0;
  stream_.socket().set_option(tcp::no_delay(true), ec);
  write();
}

void connection::write() {
  // The deadline runs from the intended time, so a request that queued
  // has less time left.
  stream_.expires_at(job_.intended + owner_.state().plan.request_timeout);
  bhttp::async_write(
    stream_, req_,
    beast::bind_front_handler(&connection::on_write, shared_from_this()));
}

void connection::on_write(beast::error_code ec, std::size_t) {
  if (ec)
    return fail(ec, false);
  res_ = {};
  bhttp::async_read(
    stream_, buffer_, res_,
    beast::bind_front_handler(&connection::on_read, shared_from_this()));
}

void connection::on_read(beast::error_code ec, std::size_t) {
  if (ec)
    return fail(ec, false);
  auto now = bench_clock::now();
  ++used_;
  owner_.on_answer(job_, res_, now);
  if (!res_.keep_alive())
    close();
  owner_.on_free(shared_from_this());
}

void connection::fail(beast::error_code ec, bool connecting) {
  bool stale = !connecting && used_ > 0 && !retried_
               && (ec == bhttp::error::end_of_stream
                   || ec == net::error::connection_reset
                   || ec == net::error::broken_pipe || ec == net::error::eof);
  close();
  if (owner_.stopping()) {
    owner_.on_failure(net::error::operation_aborted);
    return;
  }
  // A kept-alive socket the server closed while idle: resend once on a
  // fresh one, as every HTTP client does.
  if (stale) {
    retried_ = true;
    return connect();
  }
  owner_.on_failure(ec);
  if (connecting && owner_.state().plan.mode == loop_mode::closed) {
    backoff_.expires_after(reconnect_backoff);
    backoff_.async_wait([self = shared_from_this()](beast::error_code) {
      self->owner_.on_free(self);
    });
    return;
  }
  owner_.on_free(shared_from_this());
}

// -- progress ---------------------------------------------------------------

double ms(std::uint64_t ns) {
  return static_cast<double>(ns) / 1e6;
}

void print_progress(const run_state& st, double elapsed,
                    std::uint64_t last_second) {
  auto& p = st.plan;
  std::uint64_t non_ok = 0;
  for (unsigned s = 0; s < st.statuses.size(); ++s)
    if (s < 200 || s >= 300)
      non_ok += st.statuses[s].load(std::memory_order_relaxed);
  auto errors = st.transport_errors.load() + st.timeouts.load();
  std::printf("  [%s %s] %5.1fs  %7llu/s  ok %-8llu p99 %8.2f ms  "
              "non-2xx %-6llu errors %-4llu queued %llu\n",
              p.scenario.c_str(), p.label.c_str(), elapsed,
              static_cast<unsigned long long>(last_second),
              static_cast<unsigned long long>(st.ok.load()),
              ms(st.ok_hist.quantile_ns(0.99)),
              static_cast<unsigned long long>(non_ok),
              static_cast<unsigned long long>(errors),
              static_cast<unsigned long long>(st.queued.load()));
  std::fflush(stdout);
}

} // namespace

run_record run_load(const load_plan& plan) {
  run_state st{plan};
  st.endpoint = tcp::endpoint{net::ip::make_address(plan.host), plan.port};
  st.host_header = plan.host + ":" + std::to_string(plan.port);
  auto threads = std::max<std::size_t>(1, plan.threads);
  threads = std::min(threads, std::max<std::size_t>(1, plan.connections));
  std::vector<std::unique_ptr<shard>> shards;
  for (std::size_t i = 0; i < threads; ++i) {
    auto n = plan.connections / threads + (i < plan.connections % threads);
    shards.push_back(std::make_unique<shard>(st, i, threads, n));
  }
  using guard_t = net::executor_work_guard<net::io_context::executor_type>;
  std::vector<std::unique_ptr<guard_t>> guards;
  std::vector<std::thread> workers;
  std::atomic<std::size_t> finished{0};
  for (auto& s : shards) {
    guards.push_back(std::make_unique<guard_t>(s->ioc.get_executor()));
    workers.emplace_back([&s, &finished] {
      s->ioc.run();
      finished.fetch_add(1);
    });
  }
  // Connect every client first, so that connection setup is not part of
  // the measured latency.
  std::mutex m;
  std::condition_variable cv;
  std::size_t connected_shards = 0;
  std::size_t open_connections = 0;
  for (auto& s : shards)
    net::post(
      s->ioc, [&m, &cv, &connected_shards, &open_connections, sp = s.get()] {
        sp->connect_all([&m, &cv, &connected_shards, &open_connections, sp] {
          std::lock_guard<std::mutex> lock(m);
          ++connected_shards;
          open_connections += sp->connected();
          cv.notify_all();
        });
      });
  {
    std::unique_lock<std::mutex> lock(m);
    cv.wait(lock, [&] { return connected_shards == shards.size(); });
  }
  if (open_connections == 0 && plan.connections > 0) {
    for (auto& s : shards)
      net::post(s->ioc, [sp = s.get()] { sp->abandon(); });
    guards.clear();
    for (auto& w : workers)
      w.join();
    throw std::runtime_error("cannot connect to " + st.host_header);
  }
  st.t0 = bench_clock::now() + std::chrono::milliseconds{5};
  st.window_start = st.t0 + plan.warmup;
  st.window_end = st.window_start + plan.measure;
  auto run_ns = duration_cast<nanoseconds>(plan.warmup + plan.measure).count();
  if (plan.mode == loop_mode::open) {
    st.interval_ns = plan.rate > 0 ? 1e9 / plan.rate : 1e18;
    st.total = static_cast<std::uint64_t>(
      std::floor(static_cast<double>(run_ns) / st.interval_ns));
  } else {
    st.total = std::numeric_limits<std::uint64_t>::max();
  }
  if (plan.max_requests > 0)
    st.total = std::min(st.total, plan.max_requests);
  for (auto& s : shards)
    net::post(s->ioc, [sp = s.get()] { sp->start(); });
  guards.clear();

  // Sample the server and print progress once a second until every shard
  // has run out of work.
  double server_cpu0 = -1;
  double server_cpu1 = -1;
  double client_cpu0 = -1;
  double client_cpu1 = -1;
  std::uint64_t rss_peak = 0;
  auto sample_start = [&] {
    client_cpu0 = own_cpu_seconds();
    if (plan.server_pid > 0)
      server_cpu0 = cpu_seconds(plan.server_pid);
  };
  auto sample_end = [&] {
    client_cpu1 = own_cpu_seconds();
    if (plan.server_pid > 0)
      server_cpu1 = cpu_seconds(plan.server_pid);
  };
  bool started = false;
  bool ended = false;
  auto every = std::max(plan.progress_every, std::chrono::milliseconds{100});
  auto next_print = st.t0 + every;
  std::uint64_t last_answered = 0;
  while (finished.load() < shards.size()) {
    auto now = bench_clock::now();
    if (!started && now >= st.window_start) {
      started = true;
      sample_start();
    }
    if (started && !ended && now >= st.window_end) {
      ended = true;
      sample_end();
    }
    if (now >= next_print) {
      auto answered = st.answered_all.load();
      if (plan.server_pid > 0)
        rss_peak = std::max(rss_peak, rss_bytes(plan.server_pid));
      if (plan.progress)
        print_progress(st, std::chrono::duration<double>(now - st.t0).count(),
                       static_cast<std::uint64_t>(
                         static_cast<double>(answered - last_answered) * 1000.0
                         / static_cast<double>(every.count())));
      last_answered = answered;
      next_print += every;
    }
    // Polling every 20 ms places the CPU samples within 20 ms of the
    // window's edges, which is plenty for windows of seconds.
    std::this_thread::sleep_until(
      std::min(next_print, now + std::chrono::milliseconds{20}));
  }
  for (auto& w : workers)
    w.join();
  auto end = bench_clock::now();
  if (!started)
    sample_start();
  if (!ended)
    sample_end();
  if (plan.server_pid > 0)
    rss_peak = std::max(rss_peak, rss_bytes(plan.server_pid));

  run_record r;
  r.scenario = plan.scenario;
  r.label = plan.label;
  r.mode = plan.mode == loop_mode::open ? "open" : "closed";
  r.connections = plan.connections;
  r.offered_rate = plan.mode == loop_mode::open ? plan.rate : 0;
  auto window_end = std::min(end, st.window_end);
  r.window_s = std::max(
    0.0, std::chrono::duration<double>(window_end - st.window_start).count());
  r.issued = st.issued.load();
  r.answered = st.answered.load();
  r.ok = st.ok.load();
  r.ok_in_window = st.ok_in_window.load();
  r.transport_errors = st.transport_errors.load();
  r.timeouts = st.timeouts.load();
  r.unfinished = st.unfinished.load();
  r.retry_after_503 = st.retry_after.load();
  for (unsigned s = 0; s < st.statuses.size(); ++s)
    if (auto n = st.statuses[s].load())
      r.statuses[s] = n;
  r.ok_per_s
    = r.window_s > 0 ? static_cast<double>(r.ok_in_window) / r.window_s : 0;
  r.ok_latency = summarize(st.ok_hist);
  r.other_latency = summarize(st.other_hist);
  double cpu_window
    = std::chrono::duration<double>(std::min(end, st.window_end)
                                    - std::min(end, st.window_start))
        .count();
  if (cpu_window > 0) {
    r.client_cpu_pct = 100 * (client_cpu1 - client_cpu0) / cpu_window;
    if (server_cpu0 >= 0 && server_cpu1 >= 0)
      r.server_cpu_pct = 100 * (server_cpu1 - server_cpu0) / cpu_window;
  }
  // CPU per answer is steadier than throughput on a shared machine: it
  // does not care how much CPU the others left us.
  if (r.ok_per_s > 0) {
    if (r.server_cpu_pct >= 0)
      r.server_us_per_ok = r.server_cpu_pct * 1e4 / r.ok_per_s;
    if (r.client_cpu_pct >= 0)
      r.client_us_per_ok = r.client_cpu_pct * 1e4 / r.ok_per_s;
  }
  r.server_rss_peak = rss_peak;
  r.max_client_queue = st.max_queue.load();
  return r;
}

} // namespace idclaim::bench
