#include "ecpa/http/message.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "ecpa/common/error.hpp"
#include "ecpa/http/static_files.hpp"
#include "http_date.hpp"

namespace ecpa::http {
namespace {

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_token_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

void check_field(std::string_view name, std::string_view value) {
  if (name.empty() || !std::all_of(name.begin(), name.end(), is_token_char)) {
    throw std::invalid_argument("header name is not a token: " + std::string(name));
  }
  // CR/LF would let a value start a new header or a new response (response splitting).
  if (value.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) {
    throw std::invalid_argument("header value holds CR, LF or NUL: " + std::string(name));
  }
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return ascii_lower(x) == ascii_lower(y); });
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
  for (const auto& [n, v] : fields_) {
    if (iequals(n, name)) return std::string_view(v);
  }
  return std::nullopt;
}

std::string Headers::get_or(std::string_view name, std::string_view fallback) const {
  return std::string(get(name).value_or(fallback));
}

std::vector<std::string_view> Headers::get_all(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& [n, v] : fields_) {
    if (iequals(n, name)) out.emplace_back(v);
  }
  return out;
}

void Headers::set(std::string_view name, std::string_view value) {
  check_field(name, value);
  remove(name);
  fields_.emplace_back(name, value);
}

void Headers::set_default(std::string_view name, std::string_view value) {
  if (!has(name)) set(name, value);
}

void Headers::add(std::string_view name, std::string_view value) {
  check_field(name, value);
  fields_.emplace_back(name, value);
}

void Headers::remove(std::string_view name) {
  std::erase_if(fields_, [&](const Field& f) { return iequals(f.first, name); });
}

const std::string& Request::param(std::string_view name) const {
  auto it = path_params.find(name);
  if (it == path_params.end()) throw std::out_of_range("no path parameter named " + std::string(name));
  return it->second;
}

std::optional<std::string> Request::query_param(std::string_view name) const {
  auto it = query.find(std::string(name));
  if (it == query.end()) return std::nullopt;
  return it->second;
}

Response Response::json(const nlohmann::json& value, int status) {
  Response r;
  r.status = status;
  r.headers.set("Content-Type", "application/json; charset=utf-8");
  // Invalid UTF-8 from a caller becomes U+FFFD instead of an exception in the middle of an answer.
  r.body = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

Response Response::text(std::string body, int status) {
  Response r;
  r.status = status;
  r.headers.set("Content-Type", "text/plain; charset=utf-8");
  r.body = std::move(body);
  return r;
}

Response Response::html(std::string body, int status) {
  Response r;
  r.status = status;
  r.headers.set("Content-Type", "text/html; charset=utf-8");
  r.body = std::move(body);
  return r;
}

Response Response::redirect(std::string_view location, int status) {
  Response r;
  r.status = status;
  r.headers.set("Location", location);
  return r;
}

Response Response::empty(int status) {
  Response r;
  r.status = status;
  return r;
}

Response Response::file(const std::filesystem::path& path) {
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::is_regular_file(status)) {
    throw ecpa::Error(ecpa::codes::NOT_FOUND, "not a readable file: " + path.string());
  }
  auto mtime = std::filesystem::last_write_time(path, ec);
  auto size = std::filesystem::file_size(path, ec);
  std::ifstream in(path, std::ios::binary);
  if (ec || !in) throw ecpa::Error(ecpa::codes::NOT_FOUND, "cannot open " + path.string());
  std::ostringstream content;
  content << in.rdbuf();
  Response r;
  r.body = std::move(content).str();
  r.headers.set("Content-Type", mime_type(path));
  auto modified = detail::to_system_clock(mtime);
  r.headers.set("Last-Modified", detail::format_http_date(modified));
  r.headers.set("ETag", detail::make_etag(size, modified));
  return r;
}

Handler chain(const std::vector<Middleware>& middlewares, Handler inner) {
  for (auto it = middlewares.rbegin(); it != middlewares.rend(); ++it) inner = (*it)(std::move(inner));
  return inner;
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 206:
      return "Partial Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 410:
      return "Gone";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Unknown";
  }
}

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

}  // namespace ecpa::http
