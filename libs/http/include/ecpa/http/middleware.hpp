#pragma once
#include <functional>
#include <string>

#include "ecpa/common/error.hpp"
#include "ecpa/common/log.hpp"
#include "ecpa/http/header_policy.hpp"
#include "ecpa/http/message.hpp"
#include "ecpa/http/rate_limit.hpp"

namespace ecpa::http {

// The language a person asked for: ?lang=en|zh-TW first (a link can force it), then Accept-Language.
ecpa::Lang request_lang(const Request& request);

// The wire form of an error: status from the catalogue and
//   {"code":"…","message":"…","action":"…","traceId":"…"}
// in the request's language. Never contains the error's cause. RATE_LIMITED with a retry_after
// parameter also gets a Retry-After header.
Response error_response(const ecpa::Error& error, const Request& request);

// Turns exceptions from `next` into error responses: ecpa::Error → its wire form (logged at info for
// 4xx, error for 5xx, with cause and origin); anything else → INTERNAL_ERROR 500 with the cause only
// in the log. The server does the same as a last resort, but put this inside access_log so the log
// line carries the final status.
Middleware catch_errors(ecpa::log::Logger logger);

// One "http.access" line per request: method, path (no query string: it can hold tokens), status,
// bytes, us (microseconds in the handler chain), remote, trace. Never bodies.
Middleware access_log(ecpa::log::Logger logger);

// Headers every response gets unless the handler or its route's HeaderPolicy set them (a login page has
// Cross-Origin-Opener-Policy: same-origin-allow-popups, see with_coop() and header_policy.hpp).
struct SecurityHeaders {
  std::string content_security_policy =
      "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; "
      "frame-ancestors 'none'; form-action 'self'";
  // Sent only on TLS connections (RFC 6797 §7.2: ignored over plain HTTP anyway).
  std::string strict_transport_security = "max-age=31536000; includeSubDomains";
  std::string content_type_options = "nosniff";
  std::string referrer_policy = "no-referrer";
  std::string cross_origin_opener_policy = "same-origin";
  std::string cross_origin_resource_policy = "same-origin";
  // An empty string leaves that header out.
};

// Adds the headers that are absent. `tls` decides Strict-Transport-Security.
void apply_security_headers(Response& response, const SecurityHeaders& config, bool tls);
Middleware security_headers(SecurityHeaders config = {});

// with_headers() for the one header pages most often need: its answers carry this
// Cross-Origin-Opener-Policy unless the handler set one, e.g. "same-origin-allow-popups" on the login
// page, which must keep window.opener for the HiPKI popup.
Handler with_coop(std::string_view policy, Handler handler);

// Takes a token from `limiter` under key_of(request) before calling next; when empty, throws
// ecpa::Error RATE_LIMITED with retry_after (seconds). Apply it per route or to a whole router.
using KeyFunction = std::function<std::string(const Request&)>;
Middleware rate_limit(std::shared_ptr<TokenBucketLimiter> limiter, KeyFunction key_of);
// The usual key: the client's address.
std::string client_address_key(const Request& request);

}  // namespace ecpa::http
