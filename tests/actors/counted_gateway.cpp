#define CAF_SUITE actors.counted_gateway
#include <caf/test/unit_test.hpp>

#include <memory>
#include <stdexcept>

#include "actors/counted_gateway.hpp"

using namespace idclaim;

namespace {

/// Fails every message to "fail", accepts the others.
class fake_gateway final : public actors::sms_gateway {
public:
  void send(const sms_message& msg) override {
    if (msg.to == "fail")
      throw std::runtime_error("carrier down");
  }
};

sms_message to(const char* who) {
  sms_message msg;
  msg.to = who;
  return msg;
}

} // namespace

CAF_TEST(sent and failed messages are counted apart) {
  metrics::counter sent;
  metrics::counter failed;
  auto gw = actors::make_counted_gateway(std::make_unique<fake_gateway>(), sent,
                                         failed);
  gw->send(to("13900000000"));
  gw->send(to("13900000001"));
  CAF_CHECK_EQUAL(sent.value(), 2u);
  CAF_CHECK_EQUAL(failed.value(), 0u);
  bool threw = false;
  try {
    gw->send(to("fail"));
  } catch (const std::runtime_error&) {
    threw = true;
  }
  CAF_CHECK(threw);
  CAF_CHECK_EQUAL(sent.value(), 2u);
  CAF_CHECK_EQUAL(failed.value(), 1u);
}
