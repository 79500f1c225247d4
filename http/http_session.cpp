#include "http/http_session.hpp"

#include <algorithm>
#include <exception>
#include <typeinfo>
#include <utility>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/execution/outstanding_work.hpp>
#include <boost/asio/prefer.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/core/demangle.hpp>
#include <spdlog/spdlog.h>

#include "http/query.hpp"

namespace idclaim::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;

namespace {

/// How long an error-closed connection is drained before it is dropped.
constexpr std::chrono::seconds linger_timeout{5};

/// How many bytes an error-closed connection may still send us (read and
/// discarded) before it is dropped.
constexpr std::size_t linger_limit = 1024 * 1024;

/// The scratch space one drain read uses.
constexpr std::size_t linger_chunk = 4096;

/// True for errors where the client sent bytes that are not valid HTTP (as
/// opposed to closing, timing out or the socket failing).
bool is_malformed(beast::error_code ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_target)
                            .category()
         && ec != bhttp::error::end_of_stream
         && ec != bhttp::error::partial_message;
}

/// Status codes whose responses never carry a body.
bool forbids_body(bhttp::status status) {
  return bhttp::to_status_class(status) == bhttp::status_class::informational
         || status == bhttp::status::no_content
         || status == bhttp::status::not_modified;
}

} // namespace

// -- registry -----------------------------------------------------------------

bool session_registry::admit(const std::string& ip, std::size_t limit) {
  std::lock_guard<std::mutex> guard{per_ip_mtx_};
  auto& open = per_ip_[ip];
  if (limit > 0 && open >= limit) {
    if (open == 0)
      per_ip_.erase(ip);
    return false;
  }
  ++open;
  return true;
}

void session_registry::release(const std::string& ip) {
  std::lock_guard<std::mutex> guard{per_ip_mtx_};
  auto i = per_ip_.find(ip);
  if (i != per_ip_.end() && --i->second == 0)
    per_ip_.erase(i);
}

// -- construction -------------------------------------------------------------

http_session::http_session(net::ip::tcp::socket&& socket,
                           std::shared_ptr<const router> routes,
                           const server_limits& limits,
                           std::shared_ptr<session_registry> registry,
                           std::shared_ptr<const request_metrics> metrics)
  : stream_(std::move(socket)),
    strand_(stream_.get_executor()),
    router_(std::move(routes)),
    limits_(limits),
    registry_(std::move(registry)),
    metrics_(std::move(metrics)) {
  beast::error_code ec;
  auto peer = stream_.socket().remote_endpoint(ec);
  remote_ip_ = ec ? "-" : peer.address().to_string();
}

http_session::~http_session() {
  if (id_ != 0)
    registry_->remove(id_);
  if (admitted_)
    registry_->release(remote_ip_);
  if (phase_ == phase::handling)
    spdlog::warn("{} {}: handler dropped its reply; connection closed",
                 method_, req_ ? req_->route : std::string{"-"});
}

void http_session::run() {
  if (!registry_->admit(remote_ip_, limits_.max_connections_per_ip)) {
    // One client may not take every connection: close this one unserved.
    spdlog::debug("http connection limit {} per IP reached for {}; closing "
                  "a new one",
                  limits_.max_connections_per_ip, remote_ip_);
    beast::error_code ignored;
    stream_.socket().close(ignored);
    return;
  }
  admitted_ = true;
  id_ = registry_->add(weak_from_this());
  // Start on the strand: the socket's completion handlers all run there.
  net::dispatch(strand_, beast::bind_front_handler(&http_session::do_read_header,
                                                   shared_from_this()));
}

void http_session::shutdown() {
  // Why: session state may only be touched on its strand.
  net::post(strand_, beast::bind_front_handler(&http_session::on_shutdown,
                                               shared_from_this()));
}

void http_session::on_shutdown() {
  // Idle (waiting for a request that has not begun) or draining after an
  // error: nothing is in flight, so end now. Otherwise send() sees the stop
  // flag and answers the current request with "Connection: close".
  bool idle = phase_ == phase::reading_header && header_parser_
              && !header_parser_->got_some() && buffer_.size() == 0;
  if (idle || phase_ == phase::lingering)
    stream_.cancel();
}

// -- reading ------------------------------------------------------------------

void http_session::do_read_header() {
  if (registry_->stopping())
    return do_close();
  phase_ = phase::reading_header;
  header_parser_.emplace();
  header_parser_->header_limit(
    static_cast<std::uint32_t>(limits_.header_limit));
  // The route's limit applies later; the header parser must not reject a
  // large Content-Length itself, so that we can answer 413 in our shape.
  header_parser_->body_limit(boost::none);
  req_.reset();
  route_ = nullptr;
  early_error_.reset();
  allowed_.clear();
  method_ = "-";
  version_ = 11;
  keep_alive_ = false;
  head_ = false;
  // One deadline for the whole header (not per read), so a client that
  // trickles it a byte at a time is cut off too; also the keep-alive idle
  // time and the limit for a client that connects and sends nothing.
  stream_.expires_after(limits_.header_timeout);
  // Read only the header: the route decides how much body we accept.
  bhttp::async_read_header(stream_, buffer_, *header_parser_,
                           beast::bind_front_handler(
                             &http_session::on_read_header,
                             shared_from_this()));
}

void http_session::on_read_header(beast::error_code ec, std::size_t) {
  started_ = std::chrono::steady_clock::now();
  if (ec == bhttp::error::end_of_stream)
    return do_close();
  if (ec) {
    if (is_malformed(ec))
      return send_error(make_problem(errc::bad_request));
    return fail(ec, "read header");
  }
  ++serial_;
  auto& hdr = header_parser_->get();
  if (hdr.method() != bhttp::verb::unknown)
    method_ = std::string{bhttp::to_string(hdr.method())};
  version_ = hdr.version();
  keep_alive_ = hdr.keep_alive();
  head_ = hdr.method() == bhttp::verb::head;
  req_ = std::make_shared<request>();
  req_->remote_ip = remote_ip_;
  auto target = split_target(hdr.target());
  auto found = router_->find(hdr.method(), target.path);
  route_ = found.route;
  if (route_ != nullptr) {
    req_->route = route_->pattern;
    req_->params = std::move(found.params);
    if (auto query = parse_query(target.query))
      req_->query = std::move(*query);
    else
      early_error_ = make_problem(errc::bad_request);
  } else {
    req_->route = "-";
    early_error_ = make_problem(found.error);
    allowed_ = std::move(found.allowed);
  }
  if (route_ != nullptr && !early_error_ && route_->options.websocket
      && beast::websocket::is_upgrade(hdr))
    return hand_off_upgrade();
  auto limit = std::min(route_ != nullptr ? route_->options.body_limit
                                           : route_options{}.body_limit,
                        limits_.max_body_bytes);
  if (auto length = header_parser_->content_length(); length && *length > limit)
    return send_error(make_problem(errc::body_too_large));
  bool expects_continue =
    version_ >= 11 && beast::iequals(hdr[bhttp::field::expect], "100-continue");
  body_parser_.emplace(std::move(*header_parser_));
  header_parser_.reset();
  body_parser_->body_limit(limit);
  if (expects_continue && !body_parser_->is_done()) {
    continue_.emplace(bhttp::status::continue_, version_);
    stream_.expires_after(limits_.read_timeout);
    // The client waits for this before sending a body we are willing to take.
    bhttp::async_write(stream_, *continue_,
                       beast::bind_front_handler(
                         &http_session::on_write_continue,
                         shared_from_this()));
    return;
  }
  do_read_body();
}

void http_session::on_write_continue(beast::error_code ec, std::size_t) {
  continue_.reset();
  if (ec)
    return fail(ec, "write continue");
  do_read_body();
}

void http_session::do_read_body() {
  phase_ = phase::reading_body;
  if (body_parser_->is_done()) {
    // No body (or it arrived with the header): nothing to wait for.
    return on_read_body({}, 0);
  }
  stream_.expires_after(limits_.read_timeout);
  // Read the body under the route's limit.
  bhttp::async_read(stream_, buffer_, *body_parser_,
                    beast::bind_front_handler(&http_session::on_read_body,
                                              shared_from_this()));
}

void http_session::on_read_body(beast::error_code ec, std::size_t) {
  if (ec == bhttp::error::body_limit)
    return send_error(make_problem(errc::body_too_large));
  if (ec) {
    if (is_malformed(ec))
      return send_error(make_problem(errc::bad_request));
    return fail(ec, "read body");
  }
  req_->msg = body_parser_->release();
  body_parser_.reset();
  dispatch();
}

void http_session::hand_off_upgrade() {
  body_parser_.emplace(std::move(*header_parser_));
  header_parser_.reset();
  if (!body_parser_->is_done())
    return send_error(make_problem(errc::bad_request));
  req_->msg = body_parser_->release();
  body_parser_.reset();
  if (buffer_.size() != 0)
    spdlog::debug("upgrade on {}: {} early bytes dropped", req_->route,
                  buffer_.size());
  log_request(101);
  phase_ = phase::done;
  // The WebSocket session sets its own timeouts.
  stream_.expires_never();
  try {
    route_->options.on_upgrade(std::move(stream_), req_);
  } catch (const std::exception& e) {
    spdlog::error("upgrade on {} threw {}: {}", req_->route,
                  boost::core::demangle(typeid(e).name()), e.what());
  } catch (...) {
    spdlog::error("upgrade on {} threw an unknown exception", req_->route);
  }
}

// -- handling -----------------------------------------------------------------

void http_session::dispatch() {
  phase_ = phase::handling;
  if (early_error_) {
    auto res = error_response(*early_error_);
    if (!allowed_.empty()) {
      std::string allow;
      for (auto method : allowed_) {
        if (!allow.empty())
          allow += ", ";
        allow += bhttp::to_string(method);
      }
      res.set(bhttp::field::allow, allow);
    }
    return send(std::move(res), false);
  }
  auto reply = make_reply_fn();
  try {
    route_->fn(req_, reply);
  } catch (const std::exception& e) {
    spdlog::error("{} {}: handler threw {}: {}", method_, req_->route,
                  boost::core::demangle(typeid(e).name()), e.what());
    reply(error_response(make_problem(errc::internal)));
  } catch (...) {
    spdlog::error("{} {}: handler threw an unknown exception", method_,
                  req_->route);
    reply(error_response(make_problem(errc::internal)));
  }
}

reply_fn http_session::make_reply_fn() {
  /// What every copy of one request's reply_fn shares.
  struct reply_state {
    std::atomic<bool> used{false};
    std::shared_ptr<http_session> session;
    /// Counts as outstanding work, so the io_context's run() does not return
    /// while a handler still owes its reply.
    net::any_io_executor work;
  };
  auto state = std::make_shared<reply_state>();
  state->session = shared_from_this();
  state->work = net::prefer(strand_, net::execution::outstanding_work.tracked);
  return [state, serial = serial_](response res) {
    if (state->used.exchange(true))
      return;
    // Why: replies come from any thread; the session runs on its strand.
    // Only the first caller gets here, so it may take the session and the
    // work: copies of the reply_fn kept later hold neither.
    auto work = std::exchange(state->work, net::any_io_executor{});
    net::post(work, [self = std::move(state->session), serial,
                     res = std::move(res)]() mutable {
      self->on_reply(serial, std::move(res));
    });
  };
}

void http_session::on_reply(std::uint64_t serial, response res) {
  if (serial != serial_ || phase_ != phase::handling)
    return;
  send(std::move(res), false);
}

// -- writing and closing ------------------------------------------------------

void http_session::send(response res, bool close, bool linger) {
  close_after_write_ = close || !keep_alive_ || registry_->stopping();
  linger_after_write_ = linger;
  res.version(version_);
  res.set(bhttp::field::server, "idclaim");
  res.keep_alive(!close_after_write_);
  if (forbids_body(res.result()))
    res.body().clear();
  res.prepare_payload();
  // A response to HEAD announces the body's length but does not carry it.
  if (head_)
    res.body().clear();
  log_request(res.result_int());
  res_ = std::move(res);
  phase_ = phase::writing;
  // A client that does not read must not hold the connection forever.
  stream_.expires_after(limits_.read_timeout);
  // Send the whole response; on_write then reads the next request or closes.
  bhttp::async_write(stream_, *res_,
                     beast::bind_front_handler(&http_session::on_write,
                                               shared_from_this()));
}

void http_session::send_error(const idclaim::problem& p) {
  if (!req_) {
    req_ = std::make_shared<request>();
    req_->route = "-";
  }
  header_parser_.reset();
  body_parser_.reset();
  // The client may still be sending what we refused to read: linger.
  send(error_response(p), true, true);
}

void http_session::on_write(beast::error_code ec, std::size_t) {
  res_.reset();
  if (ec)
    return fail(ec, "write");
  if (linger_after_write_)
    return do_linger_close();
  if (close_after_write_)
    return do_close();
  do_read_header();
}

void http_session::do_close() {
  phase_ = phase::done;
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
}

void http_session::do_linger_close() {
  phase_ = phase::lingering;
  drained_ = 0;
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
  buffer_.clear();
  stream_.expires_after(linger_timeout);
  // Read and drop what the client still sends, so that closing with unread
  // data does not reset the connection before it has read our answer.
  stream_.async_read_some(buffer_.prepare(linger_chunk),
                          beast::bind_front_handler(&http_session::on_linger,
                                                    shared_from_this()));
}

void http_session::on_linger(beast::error_code ec, std::size_t bytes) {
  drained_ += bytes;
  if (ec || drained_ > linger_limit) {
    phase_ = phase::done;
    return;
  }
  // Keep draining until the client closes, the limit or the timeout.
  stream_.async_read_some(buffer_.prepare(linger_chunk),
                          beast::bind_front_handler(&http_session::on_linger,
                                                    shared_from_this()));
}

void http_session::log_request(unsigned status) const {
  auto elapsed = std::chrono::steady_clock::now() - started_;
  std::chrono::duration<double, std::milli> took = elapsed;
  std::string_view route = req_ ? std::string_view{req_->route} : "-";
  if (metrics_)
    metrics_->record(method_, route, status, elapsed);
  spdlog::info("{} {} {} {:.3f}ms {}", method_, route, status, took.count(),
               remote_ip_);
}

void http_session::fail(beast::error_code ec, const char* what) const {
  if (ec == net::error::operation_aborted)
    return;
  spdlog::debug("http {} from {}: {}", what, remote_ip_, ec.message());
}

} // namespace idclaim::http
