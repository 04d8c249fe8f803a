#pragma once
#include <initializer_list>
#include <string_view>
#include <utility>

#include "ecpa/http/message.hpp"

namespace ecpa::http {

// Response headers that belong to one route, or to one kind of file, rather than to the whole server:
// Cross-Origin-Opener-Policy: same-origin-allow-popups on the pages that open the card component's pop-up,
// Cross-Origin-Resource-Policy: cross-origin on the agent's API answers. Declared where the route or the
// file type is declared, so no code after routing has to guess from the path which policy an answer needs.
//
// Precedence, weakest first: the server's SecurityHeaders < a HeaderPolicy < what the handler sets on its
// own answer. A policy only fills headers the answer lacks; the server then fills what is still absent.
class HeaderPolicy {
 public:
  HeaderPolicy() = default;
  // Throws std::invalid_argument on a name that is not a token or a value with CR, LF or NUL, so a bad
  // policy fails where it is built, not on the first request.
  HeaderPolicy(std::initializer_list<std::pair<std::string_view, std::string_view>> fields);

  // Adds or replaces one field of the policy (same checks as above).
  HeaderPolicy& set(std::string_view name, std::string_view value);
  // Sets every field of the policy that `headers` does not have yet.
  void apply(Headers& headers) const;

  bool empty() const { return fields_.size() == 0; }
  const Headers& fields() const { return fields_; }

 private:
  Headers fields_;
};

// One route's handler whose answers carry `policy`: every status the handler returns, 304 included. An
// exception thrown by the handler is turned into an error answer further out (catch_errors, or the server)
// and carries the server's defaults only: the policy describes what the route serves, not its refusals.
Handler with_headers(HeaderPolicy policy, Handler handler);

}  // namespace ecpa::http
