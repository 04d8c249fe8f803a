#include "ecpa/http/cookie.hpp"

#include <gtest/gtest.h>

namespace ecpa::http {
namespace {

TEST(ParseCookies, PairsQuotesAndJunk) {
  auto c = parse_cookies(R"(__Host-sid=abc123; theme="dark"; junk; bad name=1; a=1; a=2; e=)");
  EXPECT_EQ(c.at("__Host-sid"), "abc123");
  EXPECT_EQ(c.at("theme"), "dark");
  EXPECT_EQ(c.at("a"), "1") << "first of duplicates wins";
  EXPECT_EQ(c.at("e"), "");
  EXPECT_FALSE(c.contains("junk"));
  EXPECT_FALSE(c.contains("bad name"));
  EXPECT_TRUE(parse_cookies("").empty());
  EXPECT_FALSE(parse_cookies("x=a,b").contains("x")) << "',' is not a cookie-octet";
}

TEST(SetCookie, SafeDefaults) {
  SetCookie c;
  c.name = "__Host-sid";
  c.value = "abc";
  EXPECT_EQ(serialise(c), "__Host-sid=abc; Path=/; Secure; HttpOnly; SameSite=Lax");
  c.same_site = SameSite::Strict;
  c.max_age = std::chrono::seconds(600);
  EXPECT_EQ(serialise(c), "__Host-sid=abc; Path=/; Max-Age=600; Secure; HttpOnly; SameSite=Strict");
}

TEST(SetCookie, PrefixRulesAreEnforced) {
  SetCookie host;
  host.name = "__Host-sid";
  host.value = "v";
  host.domain = "example.org";
  EXPECT_THROW(serialise(host), std::invalid_argument);
  host.domain.clear();
  host.path = "/app";
  EXPECT_THROW(serialise(host), std::invalid_argument);
  host.path = "/";
  host.secure = false;
  EXPECT_THROW(serialise(host), std::invalid_argument);

  SetCookie secure;
  secure.name = "__Secure-x";
  secure.value = "v";
  secure.secure = false;
  EXPECT_THROW(serialise(secure), std::invalid_argument);
  secure.secure = true;
  secure.path = "/app";
  EXPECT_NO_THROW(serialise(secure));

  SetCookie none;
  none.name = "x";
  none.value = "v";
  none.same_site = SameSite::None;
  none.secure = false;
  EXPECT_THROW(serialise(none), std::invalid_argument);
}

TEST(SetCookie, InjectionIsRefused) {
  SetCookie c;
  c.name = "x";
  c.value = "a;Domain=evil.example";
  EXPECT_THROW(serialise(c), std::invalid_argument);
  c.value = "ok";
  c.path = "/;Domain=evil";
  EXPECT_THROW(serialise(c), std::invalid_argument);
  c.path = "/";
  c.name = "a=b";
  EXPECT_THROW(serialise(c), std::invalid_argument);
  c.name = "";
  EXPECT_THROW(serialise(c), std::invalid_argument);
}

TEST(SetCookie, ExpiredCookieDeletes) {
  EXPECT_EQ(serialise(expired_cookie("__Host-sid")),
            "__Host-sid=; Path=/; Max-Age=0; Secure; HttpOnly; SameSite=Lax");
}

}  // namespace
}  // namespace ecpa::http
