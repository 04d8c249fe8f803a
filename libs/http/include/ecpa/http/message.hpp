#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ecpa::http {

// Header fields in arrival order. Names compare case-insensitively (RFC 9110 §5.1); several fields
// with one name are kept apart because Set-Cookie cannot be folded into one line.
class Headers {
 public:
  using Field = std::pair<std::string, std::string>;

  // The first value of `name`, or nullopt.
  std::optional<std::string_view> get(std::string_view name) const;
  std::string get_or(std::string_view name, std::string_view fallback) const;
  bool has(std::string_view name) const { return get(name).has_value(); }
  std::vector<std::string_view> get_all(std::string_view name) const;

  // Replaces every field named `name` by one. Throws std::invalid_argument when the name is not a
  // token or the value holds CR, LF or NUL: a header built from user data must never split a response.
  void set(std::string_view name, std::string_view value);
  // Sets only when absent (defaults that a handler may have overridden).
  void set_default(std::string_view name, std::string_view value);
  void add(std::string_view name, std::string_view value);
  void remove(std::string_view name);

  const std::vector<Field>& fields() const { return fields_; }
  std::size_t size() const { return fields_.size(); }

 private:
  std::vector<Field> fields_;
};

bool iequals(std::string_view a, std::string_view b);

struct Request {
  std::string method;                             // upper case as sent: "GET", "POST", …
  std::string target;                             // as sent: "/a/b?x=1"
  std::string path;                               // percent-decoded path without the query: "/a/b"
  std::string raw_path;                           // the path as sent, still encoded (for routing by segment)
  std::string query_string;                       // after '?', undecoded
  std::multimap<std::string, std::string> query;  // decoded
  Headers headers;
  std::string body;
  std::string remote_address;  // "127.0.0.1" or "::1"
  std::uint16_t remote_port = 0;
  bool tls = false;
  // DER of the certificate the client authenticated with (mutual TLS only), else empty.
  std::string tls_client_certificate_der;
  // Set by the server before any handler runs: from the trusted trace header when configured and
  // well formed, otherwise new.
  std::string trace_id;
  // {name} segments matched by the Router. Mutable because the router fills them while passing the
  // same request object on (copying a request would copy its body).
  mutable std::map<std::string, std::string, std::less<>> path_params;

  // The path parameter `name`; throws std::out_of_range when the route has none by that name.
  const std::string& param(std::string_view name) const;
  // First value of a query parameter.
  std::optional<std::string> query_param(std::string_view name) const;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string body;

  static Response json(const nlohmann::json& value, int status = 200);
  static Response text(std::string body, int status = 200);
  static Response html(std::string body, int status = 200);
  // 303 by default: after a POST the browser must GET the new location. `location` must be a path on
  // this site or an absolute URL the caller has checked (no open redirect is the caller's duty).
  static Response redirect(std::string_view location, int status = 303);
  static Response empty(int status = 204);
  // A whole file read into memory with its MIME type, ETag and Last-Modified. Throws ecpa::Error
  // NOT_FOUND when it cannot be read. For files a person may name, use StaticFiles instead.
  static Response file(const std::filesystem::path& path);
};

// Text made safe to put into HTML, in an element or a quoted attribute: & < > " ' as entities. The one
// escaper for the pages our servers write (the portal's error page, the simulator's status page).
std::string escape_html(std::string_view text);

using Handler = std::function<Response(const Request&)>;
// A middleware wraps a handler into another one: logging, headers, limits.
using Middleware = std::function<Handler(Handler)>;

// chain({a, b, c}, h) == a(b(c(h))): the first middleware sees the request first.
Handler chain(const std::vector<Middleware>& middlewares, Handler inner);

// The reason phrase for a status code ("Not Found").
std::string_view reason_phrase(int status);

}  // namespace ecpa::http
