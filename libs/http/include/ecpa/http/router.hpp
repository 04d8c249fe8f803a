#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ecpa/http/message.hpp"

namespace ecpa::http {

// Method + path routing. Patterns are exact paths ("/api/health") or have whole-segment parameters
// ("/api/people/{id}/roles"); a parameter matches one non-empty segment, percent-decoded. An exact
// segment wins over a parameter at the same place, so "/a/new" and "/a/{id}" can live together.
// No match → 404 NOT_FOUND; path matches but not the method → 405 METHOD_NOT_ALLOWED with Allow.
// Both are JSON errors in the language the request asks for. HEAD is served by the GET route (the
// server sends no body) unless a HEAD route exists.
class Router {
 public:
  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  // Throws std::invalid_argument on a malformed pattern or a duplicate method + pattern.
  Router& add(std::string_view method, std::string_view pattern, Handler handler);
  Router& get(std::string_view pattern, Handler h) { return add("GET", pattern, std::move(h)); }
  Router& post(std::string_view pattern, Handler h) { return add("POST", pattern, std::move(h)); }
  Router& put(std::string_view pattern, Handler h) { return add("PUT", pattern, std::move(h)); }
  Router& del(std::string_view pattern, Handler h) { return add("DELETE", pattern, std::move(h)); }
  // Everything below `prefix` ("/static") with the rest of the path in param("*"): for static files.
  Router& prefix(std::string_view method, std::string_view prefix, Handler handler);

  Response dispatch(const Request& request) const;
  // The router as a Handler; it shares the routing table, so add every route before serving
  // (the table is read without locks).
  Handler handler() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace ecpa::http
