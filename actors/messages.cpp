#include "actors/messages.hpp"

#include <caf/message.hpp>
#include <caf/sec.hpp>

namespace idclaim {

caf::error to_error(const problem& p) {
  return caf::make_error(p.code, p.field, p.message,
                         static_cast<int32_t>(p.status));
}

problem to_problem(const caf::error& err) {
  if (!err)
    return make_problem(errc::internal);
  if (err.category() == caf::atom("idclaim")) {
    problem p{static_cast<errc>(err.code()), {}, {}, 0};
    auto& ctx = err.context();
    if (ctx.match_elements<std::string, std::string, int32_t>()) {
      p.field = ctx.get_as<std::string>(0);
      p.message = ctx.get_as<std::string>(1);
      p.status = ctx.get_as<int32_t>(2);
    }
    return p;
  }
  if (err == caf::sec::request_timeout)
    return make_problem(errc::timeout);
  return make_problem(errc::unavailable);
}

} // namespace idclaim
