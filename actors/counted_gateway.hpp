#pragma once

#include <memory>

#include "actors/sms_gateway.hpp"
#include "metrics/counter.hpp"

namespace idclaim::actors {

/// Wraps `inner` so that every message it sends counts in `sent` and every
/// one it fails to send (it throws) counts in `failed` before the error is
/// passed on. The counters must outlive the gateway.
std::unique_ptr<sms_gateway>
make_counted_gateway(std::unique_ptr<sms_gateway> inner, metrics::counter& sent,
                     metrics::counter& failed);

} // namespace idclaim::actors
