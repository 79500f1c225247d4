#include "http/websocket_session.hpp"

#include <iterator>

#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/error.hpp>
#include <caf/send.hpp>
#include <spdlog/spdlog.h>

#include "http/auth.hpp"

namespace idclaim::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
namespace websocket = boost::beast::websocket;

namespace {

/// How long the opening and the closing handshakes may take.
constexpr std::chrono::seconds handshake_timeout{5};

/// A browser page of another site must not open a socket with our cookie:
/// when the request names an Origin, its host must be ours.
bool same_origin(const request& req) {
  auto origin = header(req, "Origin");
  if (!origin)
    return true;
  auto host = header(req, "Host").value_or("");
  auto scheme_end = origin->find("://");
  auto origin_host = scheme_end == std::string::npos
                       ? *origin
                       : origin->substr(scheme_end + 3);
  return !host.empty() && origin_host == host;
}

} // namespace

websocket_session::websocket_session(beast::tcp_stream&& stream,
                                     request_ptr upgrade, api_context_ptr ctx,
                                     websocket_limits limits)
  : ws_(std::move(stream)), upgrade_(std::move(upgrade)), ctx_(std::move(ctx)),
    limits_(limits) {}

websocket_session::~websocket_session() {
  ctx_->sockets->remove(id_);
  if (account_ != 0)
    caf::anon_send(ctx_->accounts, leave_ws_atom_v, account_, id_);
}

void websocket_session::run() {
  id_ = ctx_->sockets->add(weak_from_this());
  if (!same_origin(*upgrade_))
    return refuse(error_response(make_problem(errc::forbidden)));
  auto self = shared_from_this();
  auto strand = ws_.get_executor();
  // Why: authentication answers on an actor thread; the session lives on
  // its strand.
  reply_fn on_refusal = [self, strand](response res) {
    net::post(strand, [self, res = std::move(res)]() mutable {
      self->refuse(std::move(res));
    });
  };
  authenticate(ctx_, upgrade_, on_refusal, access::account_any,
               [self, strand](principal who) {
                 net::post(strand, [self, id = who.account->id,
                                    digest = who.session.token_digest] {
                   self->accept(id, digest);
                 });
               });
}

void websocket_session::refuse(response res) {
  res.version(upgrade_->msg.version());
  res.keep_alive(false);
  res.prepare_payload();
  refusal_ = std::make_shared<response>(std::move(res));
  auto& stream = beast::get_lowest_layer(ws_);
  stream.expires_after(handshake_timeout);
  // Answer the upgrade request with plain HTTP, then hang up.
  bhttp::async_write(stream, *refusal_,
                     beast::bind_front_handler(&websocket_session::on_refused,
                                               shared_from_this()));
}

void websocket_session::on_refused(beast::error_code, std::size_t) {
  beast::error_code ignored;
  beast::get_lowest_layer(ws_).socket().shutdown(
    net::ip::tcp::socket::shutdown_both, ignored);
}

void websocket_session::accept(account_id account, std::string digest) {
  websocket::stream_base::timeout opt{handshake_timeout, limits_.idle_timeout,
                                      true};
  ws_.set_option(opt);
  ws_.read_message_max(limits_.max_message_bytes);
  if (limits_.send_buffer_bytes > 0) {
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().set_option(
      net::socket_base::send_buffer_size(
        static_cast<int>(limits_.send_buffer_bytes)),
      ignored);
  }
  ws_.set_option(
    websocket::stream_base::decorator([](websocket::response_type& res) {
      res.set(bhttp::field::server, "idclaim");
    }));
  account_ = account;
  std::weak_ptr<websocket_session> weak = shared_from_this();
  event_subscriber sub{id_, std::move(digest),
                       [weak](std::shared_ptr<const std::string> frame) {
                         if (auto s = weak.lock())
                           s->send(std::move(frame));
                       },
                       [weak] {
                         if (auto s = weak.lock())
                           s->close(websocket::close_code::normal,
                                    "session ended");
                       }};
  ws_.async_accept(upgrade_->msg,
                   [self = shared_from_this(),
                    sub = std::move(sub)](beast::error_code ec) mutable {
                     self->on_accept(ec);
                     if (!ec)
                       caf::anon_send(self->ctx_->accounts, join_ws_atom_v,
                                      self->account_, std::move(sub));
                   });
}

void websocket_session::on_accept(beast::error_code ec) {
  if (ec)
    return fail(ec, "accept");
  open_ = true;
  do_read();
}

void websocket_session::do_read() {
  // Reading lets Beast answer pings and see the client's close.
  ws_.async_read(buffer_, beast::bind_front_handler(&websocket_session::on_read,
                                                    shared_from_this()));
}

void websocket_session::on_read(beast::error_code ec, std::size_t) {
  if (ec)
    return fail(ec, "read");
  // Clients have nothing to tell us; what they send is dropped.
  buffer_.consume(buffer_.size());
  do_read();
}

void websocket_session::send(std::shared_ptr<const std::string> frame) {
  net::post(ws_.get_executor(),
            beast::bind_front_handler(&websocket_session::on_send,
                                      shared_from_this(), std::move(frame)));
}

void websocket_session::on_send(std::shared_ptr<const std::string> frame) {
  if (!open_ || closing_)
    return;
  if (queue_.size() >= limits_.max_queued_frames) {
    // A client that does not read is cut off rather than buffered.
    spdlog::info("websocket {} does not read; disconnected", id_);
    open_ = false;
    // The front frame is being written: Beast reads it until its write
    // completes (on_write pops it), so only the frames behind it go now.
    if (!queue_.empty())
      queue_.erase(std::next(queue_.begin()), queue_.end());
    beast::get_lowest_layer(ws_).close();
    return;
  }
  queue_.push_back(std::move(frame));
  if (queue_.size() == 1)
    do_write();
}

void websocket_session::do_write() {
  ws_.text(true);
  ws_.async_write(net::buffer(*queue_.front()),
                  beast::bind_front_handler(&websocket_session::on_write,
                                            shared_from_this()));
}

void websocket_session::on_write(beast::error_code ec, std::size_t) {
  if (ec)
    return fail(ec, "write");
  queue_.pop_front();
  if (!open_)
    return; // cut off while the write was in flight
  if (!queue_.empty())
    return do_write();
  if (closing_)
    ws_.async_close(close_reason_,
                    beast::bind_front_handler(&websocket_session::on_closed,
                                              shared_from_this()));
}

void websocket_session::close(websocket::close_code code, std::string why) {
  net::post(ws_.get_executor(), beast::bind_front_handler(
                                  &websocket_session::on_close_request,
                                  shared_from_this(), code, std::move(why)));
}

void websocket_session::on_close_request(websocket::close_code code,
                                         std::string why) {
  if (closing_)
    return;
  if (!open_) {
    // Not accepted yet (or cut off): nothing to say, just hang up.
    beast::get_lowest_layer(ws_).close();
    return;
  }
  closing_ = true;
  close_reason_ = websocket::close_reason{code, why};
  // One write at a time: a close frame waits for the frame in flight.
  if (queue_.empty())
    ws_.async_close(close_reason_,
                    beast::bind_front_handler(&websocket_session::on_closed,
                                              shared_from_this()));
}

void websocket_session::on_closed(beast::error_code ec) {
  open_ = false;
  if (ec)
    fail(ec, "close");
}

void websocket_session::fail(beast::error_code ec, const char* what) {
  open_ = false;
  if (ec == net::error::operation_aborted || ec == websocket::error::closed)
    return;
  spdlog::debug("websocket {} {}: {}", id_, what, ec.message());
}

upgrade_fn events_upgrade(api_context_ptr ctx, websocket_limits limits) {
  return [ctx, limits](beast::tcp_stream&& stream, request_ptr req) {
    std::make_shared<websocket_session>(std::move(stream), std::move(req), ctx,
                                        limits)
      ->run();
  };
}

} // namespace idclaim::http
