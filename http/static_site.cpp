#include "http/static_site.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <boost/beast/http/field.hpp>
#include <sodium.h>

#include "crypto/hex.hpp"

namespace idclaim::http {

namespace fs = std::filesystem;
namespace bh = boost::beast::http;

namespace {

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string etag_of(const std::string& body) {
  unsigned char digest[16];
  crypto_generichash(digest, sizeof digest,
                     reinterpret_cast<const unsigned char*>(body.data()),
                     body.size(), nullptr, 0);
  return "\"" + crypto::to_hex(std::string_view{
                  reinterpret_cast<const char*>(digest), sizeof digest})
         + "\"";
}

bool has_extension(std::string_view path) {
  auto slash = path.rfind('/');
  return path.find('.', slash == std::string_view::npos ? 0 : slash)
         != std::string_view::npos;
}

} // namespace

std::string_view content_type_for(std::string_view name) {
  struct entry {
    std::string_view ext;
    std::string_view type;
  };
  static constexpr entry table[] = {
    {".html", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".gif", "image/gif"},
    {".ico", "image/x-icon"},
    {".txt", "text/plain; charset=utf-8"},
  };
  for (auto& e : table)
    if (name.size() >= e.ext.size()
        && name.substr(name.size() - e.ext.size()) == e.ext)
      return e.type;
  return "application/octet-stream";
}

std::shared_ptr<const static_site> static_site::load(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw std::runtime_error("the web directory " + dir + " does not exist");
  auto site = std::make_shared<static_site>();
  for (auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file())
      continue;
    auto rel = fs::relative(entry.path(), dir).generic_string();
    // Test files and their artifacts are not part of the site.
    if (rel.rfind("tests/", 0) == 0 || rel.rfind("node_modules/", 0) == 0)
      continue;
    auto body = read_all(entry.path());
    auto etag = etag_of(body);
    site->files_.emplace("/" + rel,
                         file{std::string{content_type_for(rel)},
                              std::move(body), std::move(etag)});
  }
  return site;
}

const static_site::file* static_site::find(std::string_view path) const {
  // API paths never fall back to the page: a missing one stays a 404.
  if (path.find("..") != std::string_view::npos || path.rfind("/api/", 0) == 0)
    return nullptr;
  if (auto i = files_.find(path); i != files_.end())
    return &i->second;
  if (path == "/" || !has_extension(path))
    if (auto i = files_.find("/index.html"); i != files_.end())
      return &i->second;
  return nullptr;
}

handler static_handler(std::shared_ptr<const static_site> site) {
  return [site](request_ptr req, reply_fn reply) {
    auto target = std::string_view{req->msg.target()};
    auto path = target.substr(0, target.find('?'));
    auto* f = site->find(path);
    if (!f)
      return reply(error_response(make_problem(errc::not_found)));
    response res{bh::status::ok, 11};
    res.set(bh::field::etag, f->etag);
    res.set(bh::field::cache_control, "no-cache");
    res.set("X-Content-Type-Options", "nosniff");
    res.set("Content-Security-Policy",
            "default-src 'self'; img-src 'self' data: blob:; "
            "connect-src 'self'; frame-ancestors 'none'");
    if (req->msg[bh::field::if_none_match] == f->etag) {
      res.result(bh::status::not_modified);
      return reply(std::move(res));
    }
    res.set(bh::field::content_type, f->content_type);
    res.body() = f->body;
    reply(std::move(res));
  };
}

} // namespace idclaim::http
