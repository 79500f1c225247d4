#pragma once

#include <string>
#include <string_view>

namespace idclaim::bench {

/// `text` for a query string: every byte other than A-Z a-z 0-9 - . _ ~
/// percent-encoded (RFC 3986 unreserved characters stay as they are).
std::string url_encode(std::string_view text);

} // namespace idclaim::bench
