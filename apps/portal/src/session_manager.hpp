#pragma once
// Browser sessions (docs/login-api.md): the __Host- cookie, CSRF tokens bound to the session, the Origin
// check, rotation at login, idle and absolute timeouts, logout.
//
// The cookie holds 32 random bytes; the store keeps only their hash. The CSRF token is
// HMAC-SHA256(server key, label ‖ session token), so GET /api/session can hand it out again without storing
// it in clear, it changes whenever the session ID does, and requests are checked against it re-derived.

#include <optional>
#include <span>
#include <string>

#include "ecpa/common/clock.hpp"
#include "ecpa/common/secret.hpp"
#include "ecpa/http/message.hpp"
#include "ecpa/store/session_store.hpp"

namespace ecpa::portal {

inline constexpr std::string_view kSessionCookie = "__Host-ecpa-session";
inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";

struct SessionSettings {
  std::string public_origin;
  store::Duration idle_timeout = std::chrono::minutes(15);
  store::Duration absolute_timeout = std::chrono::hours(8);
};

// A live session as a request sees it.
struct ActiveSession {
  store::Session record;
  std::string token;  // the cookie value
  std::string csrf_token;
  bool created = false;  // made by this request: the response must set the cookie
  // When it ends if nothing more happens: the idle expiry as this request moved it, never past the
  // absolute one.
  Clock::time_point expires_at{};
};

struct LoginIdentity {
  std::int64_t person_id = 0;
  std::string method;  // "citizen" | "agency"
  std::string amr;
  std::string acr;
};

class SessionManager {
 public:
  // `csrf_key` must hold 32 bytes (IdProtector::load_or_create_key makes such files).
  SessionManager(store::SessionStore& sessions, const Clock& clock, SessionSettings settings,
                 const SecretBuffer& csrf_key);

  // The valid session named by the request's cookie (its idle window moved forward), or nullopt.
  std::optional<ActiveSession> current(const http::Request& request);
  // The valid session named by the cookie as it stands: its idle window NOT moved, nothing created. For
  // questions a page asks by itself (how long is left?), which must not keep an idle session alive.
  std::optional<ActiveSession> peek(const http::Request& request) const;
  // current(), or a new pre-login session.
  ActiveSession current_or_new(const http::Request& request);
  // Whether the request carries a session cookie at all (to tell SESSION_EXPIRED from NOT_LOGGED_IN).
  static bool has_cookie(const http::Request& request);

  // For POST/PUT/DELETE, in this order: Origin equals the public origin (ORIGIN_MISMATCH), a CSRF header is
  // present (CSRF_MISSING), the session is valid (SESSION_EXPIRED), the token matches it in constant time
  // (CSRF_INVALID). Returns the session.
  ActiveSession require_state_change(const http::Request& request);
  // The first two of those checks, which need no database: Origin (ORIGIN_MISMATCH) and a CSRF header
  // (CSRF_MISSING). A page on another site cannot pass them from a victim's browser.
  void refuse_cross_site(const http::Request& request) const;
  // A logged-in session or NOT_LOGGED_IN / SESSION_EXPIRED.
  ActiveSession require_login(const http::Request& request);

  // Replaces `old` by a new logged-in session with a new ID and CSRF token (rotation).
  ActiveSession rotate_to_login(const ActiveSession& old, const LoginIdentity& identity);
  void end(const ActiveSession& session);

  // Set-Cookie values.
  std::string cookie_for(const ActiveSession& session) const;
  static std::string clearing_cookie();

  std::string csrf_for(std::string_view session_token) const;
  // HMAC-SHA256(server key, label ‖ value) as a store key: for values a stolen database must not give away
  // to a dictionary (what was typed into an account field, which is sometimes a password).
  store::TokenHash keyed_hash(std::string_view label, std::string_view value) const;

 private:
  ActiveSession create(std::optional<LoginIdentity> identity,
                       const std::optional<store::TokenHash>& replaces);

  store::SessionStore& sessions_;
  const Clock& clock_;
  SessionSettings settings_;
  SecretBuffer key_;
};

// 32 CSPRNG bytes as base64url without padding (43 characters).
std::string random_token();
std::string base64url(std::span<const std::uint8_t> bytes);

}  // namespace ecpa::portal
