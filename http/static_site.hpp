#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "http/router.hpp"

namespace idclaim::http {

/// The browser UI's files (web/), read into memory once at start-up so
/// that serving them never touches the disk on an Asio thread.
class static_site {
public:
  struct file {
    std::string content_type;
    std::string body;
    std::string etag;
  };

  /// Reads every regular file under `dir` (recursively). Throws
  /// std::runtime_error when `dir` is not a readable directory.
  static std::shared_ptr<const static_site> load(const std::string& dir);

  /// The file for a request path: "/" and paths without an extension that
  /// name no file get index.html (the UI routes in the browser). Nothing for
  /// paths that leave the site, name no file, or lie under /api/.
  const file* find(std::string_view path) const;

  std::size_t size() const { return files_.size(); }

private:
  std::map<std::string, file, std::less<>> files_;
};

/// The content type of a file name by its extension.
std::string_view content_type_for(std::string_view name);

/// The handler that serves `site` for GET requests no API route matched.
handler static_handler(std::shared_ptr<const static_site> site);

} // namespace idclaim::http
