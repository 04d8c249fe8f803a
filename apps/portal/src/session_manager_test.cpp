#include "session_manager.hpp"

#include <gtest/gtest.h>

#include "ecpa/crypto/hmac.hpp"
#include "ecpa/http/cookie.hpp"
#include "test_support.hpp"

namespace ecpa::portal {
namespace {

using namespace std::chrono_literals;
constexpr std::string_view kOrigin = "https://ecpa.example.gov.tw";

struct SessionFixture : ::testing::Test {
  testing::TestDb t;
  ManualClock clock{crypto::testing::kPinnedNow};
  SecretBuffer key = testing::test_key();
  SessionManager sessions{t.sessions, clock, SessionSettings{std::string(kOrigin), 15min, 8h}, key};

  static http::Request with_cookie(const ActiveSession& s) {
    http::Request r;
    r.method = "GET";
    r.headers.add("Cookie", "other=1; " + std::string(kSessionCookie) + "=" + s.token);
    return r;
  }
  static http::Request post(const ActiveSession& s, std::optional<std::string> csrf,
                            std::optional<std::string> origin = std::string(kOrigin)) {
    http::Request r = with_cookie(s);
    r.method = "POST";
    if (csrf) r.headers.add("X-CSRF-Token", *csrf);
    if (origin) r.headers.add("Origin", *origin);
    return r;
  }
  ErrorCode refusal(const http::Request& r) {
    try {
      (void)sessions.require_state_change(r);
    } catch (const Error& e) {
      return e.code();
    }
    return codes::INTERNAL_ERROR;
  }
};

TEST_F(SessionFixture, ANewVisitorGetsAPreLoginSession) {
  ActiveSession s = sessions.current_or_new(http::Request{});
  EXPECT_TRUE(s.created);
  EXPECT_EQ(s.token.size(), 43u);
  EXPECT_FALSE(s.record.person_id);
  EXPECT_EQ(t.count("sessions"), 1);
  auto again = sessions.current_or_new(with_cookie(s));
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.csrf_token, s.csrf_token);
  EXPECT_EQ(t.count("sessions"), 1);
}

TEST_F(SessionFixture, TheCookieIsHostPrefixedSecureHttpOnlyStrict) {
  ActiveSession s = sessions.current_or_new(http::Request{});
  const std::string c = sessions.cookie_for(s);
  EXPECT_EQ(c.rfind("__Host-ecpa-session=" + s.token, 0), 0u);
  EXPECT_NE(c.find("Secure"), std::string::npos);
  EXPECT_NE(c.find("HttpOnly"), std::string::npos);
  EXPECT_NE(c.find("SameSite=Strict"), std::string::npos);
  EXPECT_NE(c.find("Path=/"), std::string::npos);
  EXPECT_EQ(c.find("Domain"), std::string::npos);
}

TEST_F(SessionFixture, StateChangesNeedOriginThenTokenThenSessionThenMatch) {
  ActiveSession s = sessions.current_or_new(http::Request{});
  EXPECT_EQ(sessions.require_state_change(post(s, s.csrf_token)).token, s.token);
  EXPECT_EQ(refusal(post(s, s.csrf_token, std::nullopt)), codes::ORIGIN_MISMATCH);
  EXPECT_EQ(refusal(post(s, s.csrf_token, "https://evil.example")), codes::ORIGIN_MISMATCH);
  EXPECT_EQ(refusal(post(s, std::nullopt)), codes::CSRF_MISSING);
  EXPECT_EQ(refusal(post(s, "")), codes::CSRF_MISSING);
  EXPECT_EQ(refusal(post(s, s.csrf_token.substr(1) + "A")), codes::CSRF_INVALID);
  ActiveSession other = sessions.current_or_new(http::Request{});
  EXPECT_EQ(refusal(post(s, other.csrf_token)), codes::CSRF_INVALID);
  http::Request no_cookie;
  no_cookie.headers.add("Origin", std::string(kOrigin));
  no_cookie.headers.add("X-CSRF-Token", s.csrf_token);
  EXPECT_EQ(refusal(no_cookie), codes::SESSION_EXPIRED);
}

TEST_F(SessionFixture, ACsrfTokenFromOneSessionIsRefusedInAnother) {
  const auto person = t.add_person("A123456789");
  ActiveSession mine = sessions.rotate_to_login(sessions.current_or_new(http::Request{}),
                                                LoginIdentity{person, "citizen", "sc", "x"});
  ActiveSession theirs = sessions.current_or_new(http::Request{});
  ASSERT_NE(mine.csrf_token, theirs.csrf_token);
  // Each token opens only its own session, in both directions, logged in or not.
  EXPECT_EQ(refusal(post(mine, theirs.csrf_token)), codes::CSRF_INVALID);
  EXPECT_EQ(refusal(post(theirs, mine.csrf_token)), codes::CSRF_INVALID);
  EXPECT_EQ(sessions.require_state_change(post(mine, mine.csrf_token)).token, mine.token);
  EXPECT_EQ(sessions.require_state_change(post(theirs, theirs.csrf_token)).token, theirs.token);
}

TEST_F(SessionFixture, TheCsrfTokenIsAnHmacOfTheSessionTokenUnderTheServerKey) {
  ActiveSession s = sessions.current_or_new(http::Request{});
  crypto::Bytes tag =
      crypto::hmac_sha256(crypto::as_bytes(key.reveal()), crypto::as_bytes("openecpa-csrf-v2" + s.token));
  EXPECT_EQ(s.csrf_token, base64url(tag));
  // Another server key (another deployment, or after rotating the key file) derives other tokens, so the
  // tokens it handed out stop working.
  SecretBuffer other_key = SecretBuffer::copy_of(std::string(32, 'z'));
  ASSERT_NE(other_key.reveal(), key.reveal());
  SessionManager other{t.sessions, clock, SessionSettings{std::string(kOrigin), 15min, 8h}, other_key};
  EXPECT_NE(other.csrf_for(s.token), s.csrf_token);
  EXPECT_EQ(other.require_state_change(post(s, other.csrf_for(s.token))).token, s.token);
  http::Request stale = post(s, s.csrf_token);
  try {
    (void)other.require_state_change(stale);
    ADD_FAILURE() << "a token derived with another key was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), codes::CSRF_INVALID);
  }
}

TEST_F(SessionFixture, LoginRotatesTheIdAndTheCsrfToken) {
  const auto person = t.add_person("A123456789");
  ActiveSession pre = sessions.current_or_new(http::Request{});
  ActiveSession in = sessions.rotate_to_login(pre, LoginIdentity{person, "citizen", "sc", "x"});
  EXPECT_NE(in.token, pre.token);
  EXPECT_NE(in.csrf_token, pre.csrf_token);
  EXPECT_FALSE(sessions.current(with_cookie(pre)));
  EXPECT_EQ(sessions.require_login(with_cookie(in)).record.person_id, person);
  EXPECT_EQ(refusal(post(in, pre.csrf_token)), codes::CSRF_INVALID);
  EXPECT_EQ(t.count("sessions"), 1);
}

TEST_F(SessionFixture, IdleAndAbsoluteTimeouts) {
  const auto person = t.add_person("A123456789");
  ActiveSession pre = sessions.current_or_new(http::Request{});
  ActiveSession in = sessions.rotate_to_login(pre, LoginIdentity{person, "citizen", "sc", "x"});
  clock.advance(14min);
  EXPECT_TRUE(sessions.current(with_cookie(in)));  // and this use moves the idle window
  clock.advance(14min);
  EXPECT_TRUE(sessions.current(with_cookie(in)));
  clock.advance(16min);
  try {
    (void)sessions.require_login(with_cookie(in));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), codes::SESSION_EXPIRED);
  }

  ActiveSession busy = sessions.rotate_to_login(sessions.current_or_new(http::Request{}),
                                                LoginIdentity{person, "citizen", "sc", "x"});
  for (int i = 0; i < 34; ++i) {
    clock.advance(14min);
    ASSERT_TRUE(sessions.current(with_cookie(busy))) << i;
  }
  clock.advance(5min);  // 8 h 01 min in all, only 5 min idle: the absolute limit ends it
  EXPECT_FALSE(sessions.current(with_cookie(busy)));
}

TEST_F(SessionFixture, NotLoggedInIsNotExpired) {
  try {
    (void)sessions.require_login(http::Request{});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), codes::NOT_LOGGED_IN);
  }
  ActiveSession pre = sessions.current_or_new(http::Request{});
  try {
    (void)sessions.require_login(with_cookie(pre));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), codes::NOT_LOGGED_IN);
  }
}

TEST_F(SessionFixture, LogoutEndsTheSession) {
  ActiveSession s = sessions.current_or_new(http::Request{});
  sessions.end(s);
  EXPECT_FALSE(sessions.current(with_cookie(s)));
  EXPECT_EQ(t.count("sessions"), 0);
  EXPECT_NE(SessionManager::clearing_cookie().find("Max-Age=0"), std::string::npos);
}

TEST_F(SessionFixture, MalformedCookiesAreIgnored) {
  http::Request r;
  r.headers.add("Cookie", std::string(kSessionCookie) + "=short");
  EXPECT_FALSE(sessions.current(r));
  EXPECT_TRUE(sessions.current_or_new(r).created);
}

}  // namespace
}  // namespace ecpa::portal
