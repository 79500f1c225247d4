#include "actors/sms_gateway.hpp"

#include <cstdio>
#include <stdexcept>

#include <fcntl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "domain/clock.hpp"
#include "domain/shanghai_time.hpp"

namespace idclaim::actors {

namespace {

class outbox_gateway final : public sms_gateway {
public:
  explicit outbox_gateway(std::string path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
                 0600);
    if (fd_ < 0)
      throw std::runtime_error("cannot open the SMS outbox " + path_);
  }

  ~outbox_gateway() override {
    ::close(fd_);
  }

  void send(const sms_message& msg) override {
    nlohmann::json line{{"to", msg.to},
                        {"text", msg.text},
                        {"code", msg.code},
                        {"sent_at", domain::format_rfc3339(from_ms(msg.sent_ms))}};
    auto text = line.dump() + "\n";
    // One write(2) per line with O_APPEND: lines never interleave.
    if (::write(fd_, text.data(), text.size())
        != static_cast<ssize_t>(text.size()))
      throw std::runtime_error("cannot write the SMS outbox");
  }

private:
  std::string path_;
  int fd_ = -1;
};

} // namespace

std::unique_ptr<sms_gateway> make_outbox_gateway(std::string path) {
  return std::make_unique<outbox_gateway>(std::move(path));
}

} // namespace idclaim::actors
