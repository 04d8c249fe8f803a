#pragma once
// The login page's doors (docs/architecture.md, "A login, from socket to session"). Every login method is a
// room of its own under auth/ that installs its endpoints through a LoginDoor; what every room needs is
// here, once: the refusal of cross-site requests, the per-address login budget, the session and CSRF
// checks, strict JSON bodies, and the one way a verified person becomes a logged-in session (the rotated
// cookie and the answer every method gives). Audit records are the AuditTrail's (audit_trail.hpp).
//
// Adding a method: a folder under auth/ with a class implementing LoginMethod (or, for a card, a
// CardBinding given to the certificate room), one line where main.cpp lists the methods, and its codes in
// messages/catalogue.json.

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "auth/audit_trail.hpp"
#include "ecpa/common/json.hpp"
#include "ecpa/common/messages.hpp"
#include "ecpa/http/message.hpp"
#include "ecpa/http/rate_limit.hpp"
#include "ecpa/http/router.hpp"
#include "ecpa/store/people_store.hpp"
#include "session_manager.hpp"

namespace ecpa::portal {

// One login request as a room sees it, after the door's checks.
struct LoginCall {
  const http::Request& request;
  nlohmann::json body;  // a JSON object (strict: no duplicate members)
  ActiveSession session;
  ClientInfo client;
  Lang lang = Lang::ZhTW;

  // A string member; BAD_REQUEST when required and absent, or when not a string.
  std::string text(const char* name, bool required) const;
};

class LoginDoor {
 public:
  using Step = std::function<http::Response(LoginCall&)>;

  // `per_address`: the login budget; `reads`: the (larger) budget of public reads.
  LoginDoor(http::Router& router, SessionManager& sessions, store::PeopleStore& people,
            std::shared_ptr<http::TokenBucketLimiter> per_address,
            std::shared_ptr<http::TokenBucketLimiter> reads);

  // POST `path` for a step that could log someone in: refused cross-site (Origin, CSRF header, JSON type)
  // before it counts against the client address's budget, then the session and CSRF token checked and
  // the body parsed.
  void post(std::string_view path, Step step);
  // A public GET a login form reads (a policy to show): limited per address, no session needed.
  void get(std::string_view path, http::Handler handler);

  // The answer to a successful login, for every method: the person, where to go, the new CSRF token, and
  // the rotated session's cookie.
  http::Response logged_in(const ActiveSession& rotated, const store::Person& person,
                           std::string_view method);

  SessionManager& sessions() noexcept { return sessions_; }

 private:
  http::Router& router_;
  SessionManager& sessions_;
  store::PeopleStore& people_;
  std::shared_ptr<http::TokenBucketLimiter> per_address_;
  std::shared_ptr<http::TokenBucketLimiter> reads_;
};

class LoginMethod {
 public:
  virtual ~LoginMethod() = default;
  virtual std::string_view name() const = 0;
  virtual void install(LoginDoor& door) = 0;
};

// Answers carry people and tokens: no cache may keep them.
http::Response api_json(const nlohmann::json& value, int status = 200);
// The body of a JSON API request: application/json, strict, an object. BAD_REQUEST otherwise.
nlohmann::json parse_json_body(const http::Request& request);

}  // namespace ecpa::portal
