#pragma once

// Reading /metrics in end-to-end tests.

#include <cmath>
#include <string>

#include "tests/support/test_service.hpp"

namespace idclaim::testing {

/// GETs /metrics; REQUIREs nothing, so tests check the status themselves.
inline json_reply scrape(http_client& c) {
  return call(c, boost::beast::http::verb::get, "/metrics");
}

/// The value of the sample `series` (the name with its labels, exactly as
/// rendered, e.g. `idclaim_actors_live{kind="claim"}`), or NaN when the
/// text holds no such line.
inline double sample(const std::string& text, const std::string& series) {
  auto at = text.find("\n" + series + " ");
  if (at == std::string::npos)
    return std::nan("");
  return std::stod(text.substr(at + series.size() + 2));
}

} // namespace idclaim::testing
