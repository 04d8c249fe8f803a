#pragma once
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "ecpa/http/header_policy.hpp"
#include "ecpa/http/message.hpp"

namespace ecpa::http {

// The MIME type for a file name's extension ("app.js" → "text/javascript; charset=utf-8");
// application/octet-stream when unknown, so the browser never sniffs (nosniff is sent too).
std::string_view mime_type(const std::filesystem::path& path);

// Serves files below one directory. A request path is resolved safely: it is percent-decoded once,
// and refused (404, never 403, so probing learns nothing) when a segment is "..", ".", empty, starts
// with '.', or holds a backslash or NUL, and when the canonical result — after following symlinks —
// is not inside the root. Answers carry ETag and Last-Modified; If-None-Match / If-Modified-Since
// give 304. A directory serves its index file if there is one.
class StaticFiles {
 public:
  struct Options {
    // Cache-Control for every file; e.g. "public, max-age=31536000, immutable" for hashed assets.
    std::string cache_control = "no-cache";
    std::string index = "index.html";
    std::uintmax_t max_file_size = std::uintmax_t{16} * 1024 * 1024;  // files are read into memory
    // Headers by the served file's MIME type without parameters ("text/html"), on its 200 and on its 304
    // alike: a revalidated page keeps the policy it was first served with (a 304 carries no Content-Type,
    // so nothing further out could tell that it answers for a page).
    std::map<std::string, HeaderPolicy, std::less<>> headers_by_type{};
  };

  // Throws ecpa::Error CONFIG_INVALID when `root` is not a directory.
  explicit StaticFiles(const std::filesystem::path& root);
  StaticFiles(const std::filesystem::path& root, Options options);

  // `relative` is the part of the (still percent-encoded) path below the mount point, e.g. from
  // Router::prefix's param("*"). Throws ecpa::Error NOT_FOUND.
  Response serve(const Request& request, std::string_view relative) const;
  // A handler for Router::prefix: serves request.param("*").
  Handler handler() const;

 private:
  std::filesystem::path root_;  // canonical
  Options options_;
};

}  // namespace ecpa::http
