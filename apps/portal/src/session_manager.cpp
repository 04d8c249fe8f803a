#include "session_manager.hpp"

#include "ecpa/common/error.hpp"
#include "ecpa/crypto/bytes.hpp"
#include "ecpa/crypto/hmac.hpp"
#include "ecpa/http/cookie.hpp"
#include "ecpa/pki/login_text.hpp"

namespace ecpa::portal {
namespace {

constexpr std::size_t kTokenChars = 43;
constexpr std::string_view kCsrfLabel = "openecpa-csrf-v2";

std::optional<std::string> cookie_token(const http::Request& request) {
  std::optional<std::string> token;
  for (auto header : request.headers.get_all("Cookie")) {
    auto cookies = http::parse_cookies(header);
    if (auto it = cookies.find(kSessionCookie); it != cookies.end()) {
      token = it->second;
      break;
    }
  }
  // A cookie that cannot be one of ours is not looked up at all.
  if (token && token->size() != kTokenChars) return std::nullopt;
  return token;
}

}  // namespace

std::string base64url(std::span<const std::uint8_t> bytes) { return pki::to_base64url(bytes); }

std::string random_token() { return base64url(crypto::random_bytes(32)); }

SessionManager::SessionManager(store::SessionStore& sessions, const Clock& clock, SessionSettings settings,
                               const SecretBuffer& csrf_key)
    : sessions_(sessions),
      clock_(clock),
      settings_(std::move(settings)),
      key_(SecretBuffer::copy_of(csrf_key.reveal())) {
  if (key_.size() != 32) throw Error(codes::KEY_INVALID, "session key must be 32 bytes");
}

store::TokenHash SessionManager::keyed_hash(std::string_view label, std::string_view value) const {
  std::string input = std::string(label).append(value);
  crypto::Bytes tag = crypto::hmac_sha256(crypto::as_bytes(key_.reveal()), crypto::as_bytes(input));
  secure_wipe(input);
  store::TokenHash out;
  if (!store::TokenHash::from_bytes(tag, out))
    throw Error(codes::INTERNAL_ERROR, "HMAC-SHA256 tag is not 32 bytes");
  return out;
}

std::string SessionManager::csrf_for(std::string_view session_token) const {
  // HMAC-SHA256(key, label ‖ token): bound to this session token, unforgeable without the server key (a
  // stolen cookie hash does not help), and the label keeps these tags apart from any other use of the key.
  std::string input = std::string(kCsrfLabel).append(session_token);
  crypto::Bytes tag = crypto::hmac_sha256(crypto::as_bytes(key_.reveal()), crypto::as_bytes(input));
  secure_wipe(input);
  return base64url(tag);
}

bool SessionManager::has_cookie(const http::Request& request) {
  for (auto header : request.headers.get_all("Cookie"))
    if (http::parse_cookies(header).contains(kSessionCookie)) return true;
  return false;
}

std::optional<ActiveSession> SessionManager::current(const http::Request& request) {
  auto token = cookie_token(request);
  if (!token) return std::nullopt;
  const auto id = store::TokenHash::of(*token);
  const auto now = clock_.now();
  auto record = sessions_.get_valid(id, now);
  if (!record || !sessions_.touch(id, now)) return std::nullopt;
  const auto idle_end = std::min(now + settings_.idle_timeout, record->absolute_expires_at);
  return ActiveSession{*record, *token, csrf_for(*token), false, idle_end};
}

std::optional<ActiveSession> SessionManager::peek(const http::Request& request) const {
  auto token = cookie_token(request);
  if (!token) return std::nullopt;
  auto record = sessions_.get_valid(store::TokenHash::of(*token), clock_.now());
  if (!record) return std::nullopt;
  return ActiveSession{*record, *token, csrf_for(*token), false, record->idle_expires_at};
}

ActiveSession SessionManager::current_or_new(const http::Request& request) {
  if (auto s = current(request)) return *s;
  return create(std::nullopt, std::nullopt);
}

ActiveSession SessionManager::create(std::optional<LoginIdentity> identity,
                                     const std::optional<store::TokenHash>& replaces) {
  ActiveSession s;
  s.token = random_token();
  s.csrf_token = csrf_for(s.token);
  s.created = true;
  store::NewSession n;
  n.id = store::TokenHash::of(s.token);
  n.csrf = store::TokenHash::of(s.csrf_token);
  n.idle_timeout = settings_.idle_timeout;
  n.absolute_timeout = settings_.absolute_timeout;
  if (identity) {
    n.person_id = identity->person_id;
    n.method = identity->method;
    n.amr = identity->amr;
    n.acr = identity->acr;
  }
  s.record = replaces ? sessions_.rotate(*replaces, n, clock_.now()) : sessions_.create(n, clock_.now());
  s.expires_at = s.record.idle_expires_at;
  return s;
}

void SessionManager::refuse_cross_site(const http::Request& request) const {
  // Origin first: a cross-site form post must fail even before we look at anything it carries.
  auto origin = request.headers.get("Origin");
  if (!origin || *origin != settings_.public_origin)
    throw Error(codes::ORIGIN_MISMATCH,
                "Origin '" + std::string(origin.value_or("(none)")).substr(0, 200) + "'");
  auto header = request.headers.get(kCsrfHeader);
  if (!header || header->empty()) throw Error(codes::CSRF_MISSING, "no X-CSRF-Token header");
}

ActiveSession SessionManager::require_state_change(const http::Request& request) {
  refuse_cross_site(request);
  auto header = request.headers.get(kCsrfHeader);
  auto session = current(request);
  if (!session)
    throw Error(codes::SESSION_EXPIRED, has_cookie(request) ? "session not valid" : "no session cookie");
  // Against the token derived now rather than the hash stored at creation: a page that fetched its token
  // after a key or derivation change still matches, and a token of another session never does.
  if (!crypto::equal_constant_time(crypto::as_bytes(*header), crypto::as_bytes(session->csrf_token)))
    throw Error(codes::CSRF_INVALID, "CSRF token mismatch");
  return *session;
}

ActiveSession SessionManager::require_login(const http::Request& request) {
  auto session = current(request);
  if (!session) {
    if (has_cookie(request)) throw Error(codes::SESSION_EXPIRED, "session not valid");
    throw Error(codes::NOT_LOGGED_IN, "no session cookie");
  }
  if (!session->record.person_id) throw Error(codes::NOT_LOGGED_IN, "pre-login session");
  return *session;
}

ActiveSession SessionManager::rotate_to_login(const ActiveSession& old, const LoginIdentity& identity) {
  return create(identity, old.record.id);
}

void SessionManager::end(const ActiveSession& session) { sessions_.remove(session.record.id); }

std::string SessionManager::cookie_for(const ActiveSession& session) const {
  http::SetCookie c;
  c.name = std::string(kSessionCookie);
  c.value = session.token;
  c.same_site = http::SameSite::Strict;
  // A browser-session cookie: the server's timeouts decide how long it is worth anything.
  return http::serialise(c);
}

std::string SessionManager::clearing_cookie() {
  http::SetCookie c = http::expired_cookie(std::string(kSessionCookie));
  c.same_site = http::SameSite::Strict;
  return http::serialise(c);
}

}  // namespace ecpa::portal
