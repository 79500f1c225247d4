#include "actors/counted_gateway.hpp"

#include <utility>

namespace idclaim::actors {

namespace {

class counted_gateway final : public sms_gateway {
public:
  counted_gateway(std::unique_ptr<sms_gateway> inner, metrics::counter& sent,
                  metrics::counter& failed)
    : inner_(std::move(inner)), sent_(sent), failed_(failed) {}

  void send(const sms_message& msg) override {
    try {
      inner_->send(msg);
    } catch (...) {
      failed_.inc();
      throw;
    }
    sent_.inc();
  }

private:
  std::unique_ptr<sms_gateway> inner_;
  metrics::counter& sent_;
  metrics::counter& failed_;
};

} // namespace

std::unique_ptr<sms_gateway>
make_counted_gateway(std::unique_ptr<sms_gateway> inner, metrics::counter& sent,
                     metrics::counter& failed) {
  return std::make_unique<counted_gateway>(std::move(inner), sent, failed);
}

} // namespace idclaim::actors
