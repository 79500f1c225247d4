#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "actors/messages.hpp"

namespace idclaim::actors {

/// Where SMS go. The embedded default writes them to an outbox file; a
/// deployment plugs in its carrier's API. Called from one thread (the SMS
/// actor's), and may block.
class sms_gateway {
public:
  virtual ~sms_gateway() = default;

  /// Sends one message; throws std::runtime_error when it cannot.
  virtual void send(const sms_message& msg) = 0;
};

/// The embedded gateway: appends `{to, text, code, sent_at}` as one JSON
/// line to `path` (DATA_DIR/sms-outbox.jsonl) and flushes it, so tests and
/// developers can read the codes.
std::unique_ptr<sms_gateway> make_outbox_gateway(std::string path);

} // namespace idclaim::actors
