#include "ecpa/http/static_files.hpp"

#include <algorithm>
#include <map>

#include "ecpa/common/error.hpp"
#include "ecpa/http/url.hpp"
#include "http_date.hpp"

namespace ecpa::http {
namespace fs = std::filesystem;
namespace {

bool is_inside(const fs::path& root, const fs::path& candidate) {
  auto [r, c] = std::mismatch(root.begin(), root.end(), candidate.begin(), candidate.end());
  return r == root.end();
}

[[noreturn]] void not_found(std::string cause) {
  throw ecpa::Error(ecpa::codes::NOT_FOUND, std::move(cause));
}

}  // namespace

std::string_view mime_type(const fs::path& path) {
  static const std::map<std::string, std::string_view, std::less<>> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".map", "application/json; charset=utf-8"},
      {".txt", "text/plain; charset=utf-8"},
      {".xml", "application/xml; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".bmp", "image/bmp"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".pdf", "application/pdf"},
      {".wasm", "application/wasm"},
      {".webmanifest", "application/manifest+json"},
  };
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  auto it = kTypes.find(ext);
  return it == kTypes.end() ? std::string_view("application/octet-stream") : it->second;
}

StaticFiles::StaticFiles(const fs::path& root) : StaticFiles(root, Options{}) {}

StaticFiles::StaticFiles(const fs::path& root, Options options) : options_(std::move(options)) {
  std::error_code ec;
  root_ = fs::canonical(root, ec);
  if (ec || !fs::is_directory(root_)) {
    throw ecpa::Error(ecpa::codes::CONFIG_INVALID, "static file root is not a directory: " + root.string());
  }
}

Response StaticFiles::serve(const Request& request, std::string_view relative) const {
  auto decoded = percent_decode(relative, false);
  if (!decoded) not_found("undecodable static path");
  // Checked segment by segment after decoding, so "%2e%2e" is caught like "..".
  fs::path candidate = root_;
  std::string_view rest = *decoded;
  bool wants_directory = rest.empty() || rest.back() == '/';
  while (!rest.empty()) {
    std::size_t slash = rest.find('/');
    std::string_view seg = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
    if (seg.empty() && rest.empty()) break;  // trailing '/'
    if (seg.empty() || seg.front() == '.' ||
        seg.find_first_of(std::string_view("\\\0:", 3)) != std::string_view::npos) {
      not_found("refused static path segment");
    }
    candidate /= std::string(seg);
  }
  std::error_code ec;
  fs::path resolved = fs::canonical(candidate, ec);
  // canonical() follows every symlink, so a link pointing outside the root is caught here.
  if (ec || !is_inside(root_, resolved)) not_found("static path outside root or missing");
  if (fs::is_directory(resolved, ec)) {
    if (options_.index.empty()) not_found("directory without index");
    resolved = fs::canonical(resolved / options_.index, ec);
    if (ec || !is_inside(root_, resolved)) not_found("no index file");
  } else if (wants_directory) {
    not_found("file asked for as a directory");
  }
  auto status = fs::status(resolved, ec);
  if (ec || !fs::is_regular_file(status)) not_found("not a regular file");
  auto size = fs::file_size(resolved, ec);
  if (ec || size > options_.max_file_size) not_found("static file too large or unreadable");

  auto mtime = fs::last_write_time(resolved, ec);
  if (ec) not_found("cannot stat static file");
  auto modified = detail::to_system_clock(mtime);
  std::string etag = detail::make_etag(size, modified);

  bool fresh = false;
  if (auto inm = request.headers.get("If-None-Match")) {
    fresh = inm->find(etag) != std::string_view::npos || *inm == "*";
  } else if (auto ims = request.headers.get("If-Modified-Since")) {
    auto since = detail::parse_http_date(*ims);
    fresh = since && std::chrono::floor<std::chrono::seconds>(modified) <= *since;
  }
  Response response;
  if (fresh) {
    response.status = 304;
    response.headers.set("ETag", etag);
    response.headers.set("Last-Modified", detail::format_http_date(modified));
  } else {
    response = Response::file(resolved);
  }
  if (!options_.cache_control.empty()) response.headers.set("Cache-Control", options_.cache_control);
  if (!options_.headers_by_type.empty()) {
    std::string_view type = mime_type(resolved);
    type = type.substr(0, type.find(';'));
    if (auto it = options_.headers_by_type.find(type); it != options_.headers_by_type.end())
      it->second.apply(response.headers);
  }
  return response;
}

Handler StaticFiles::handler() const {
  return [self = *this](const Request& request) { return self.serve(request, request.param("*")); };
}

}  // namespace ecpa::http
