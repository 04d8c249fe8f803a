#include "ecpa/pki/login_text.hpp"

#include <gtest/gtest.h>

#include "ecpa/common/error.hpp"

namespace ecpa::pki {
namespace {

crypto::Bytes nonce_of(std::uint8_t fill) { return crypto::Bytes(32, fill); }

void expect_invalid(std::string_view text) {
  try {
    LoginText::parse(text);
    FAIL() << "accepted: " << text;
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), codes::LOGIN_TEXT_INVALID);
  }
}

TEST(LoginText, BuildsTheDocumentedFormat) {
  LoginText t{"https://ecpa.example.gov.tw", LoginPurpose::Login, nonce_of(0)};
  EXPECT_EQ(t.to_string(),
            "openecpa-login-v1\norigin=https://ecpa.example.gov.tw\npurpose=login\n"
            "nonce=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n");
}

TEST(LoginText, ParseIsTheExactInverse) {
  for (auto purpose : {LoginPurpose::Login, LoginPurpose::Bind}) {
    crypto::Bytes n(32);
    for (std::size_t i = 0; i < n.size(); ++i) n[i] = static_cast<std::uint8_t>(i * 37 + 250);
    LoginText t{"https://portal.example:8443", purpose, n};
    EXPECT_EQ(LoginText::parse(t.to_string()), t);
  }
}

TEST(LoginText, AcceptsLoopbackHttpOnly) {
  EXPECT_TRUE(is_valid_origin("http://localhost:8080"));
  EXPECT_TRUE(is_valid_origin("http://127.0.0.1:8080"));
  EXPECT_FALSE(is_valid_origin("http://portal.example"));
  EXPECT_FALSE(is_valid_origin("https://portal.example/"));
  EXPECT_FALSE(is_valid_origin("https://Portal.example"));
  EXPECT_FALSE(is_valid_origin("https://user@portal.example"));
  EXPECT_FALSE(is_valid_origin("https://portal.example:0"));
  EXPECT_FALSE(is_valid_origin("https://portal.example:65536"));
  EXPECT_FALSE(is_valid_origin("https://portal..example"));
  EXPECT_FALSE(is_valid_origin("ftp://portal.example"));
}

TEST(LoginText, RefusesEverythingElse) {
  std::string good = LoginText{"https://p.example", LoginPurpose::Login, nonce_of(7)}.to_string();
  EXPECT_NO_THROW(LoginText::parse(good));
  expect_invalid("");
  expect_invalid("openecpa-login-v2" + good.substr(17));
  expect_invalid(good.substr(0, good.size() - 1));  // no final LF
  expect_invalid(good + "extra=1\n");
  std::string crlf = good;
  crlf.replace(crlf.find('\n'), 1, "\r\n");
  expect_invalid(crlf);
  std::string other_purpose = good;
  other_purpose.replace(other_purpose.find("login\n"), 5, "admin");
  expect_invalid(other_purpose);
  std::string swapped =
      "openecpa-login-v1\npurpose=login\norigin=https://p.example\n" + good.substr(good.find("nonce="));
  expect_invalid(swapped);
  std::string padded = good;
  padded.insert(padded.size() - 1, "=");
  expect_invalid(padded);
  std::string short_nonce = good;
  short_nonce.erase(short_nonce.size() - 5, 4);
  expect_invalid(short_nonce);
}

TEST(LoginText, RefusesNonCanonicalBase64url) {
  // 32 bytes = 43 characters; the last carries 2 unused bits that must be zero.
  EXPECT_EQ(from_base64url("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").size(), 32u);
  EXPECT_THROW(from_base64url("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB"), Error);
  EXPECT_THROW(from_base64url("AAAA+AAA"), Error);
  EXPECT_THROW(from_base64url("AAAAA"), Error);
  EXPECT_EQ(to_base64url(from_base64url("-_8")), "-_8");
}

TEST(LoginText, RefusesBadFieldsWhenBuilding) {
  EXPECT_THROW((LoginText{"https://p.example", LoginPurpose::Login, crypto::Bytes(31)}.to_string()), Error);
  EXPECT_THROW((LoginText{"https://p.example\nnonce=x", LoginPurpose::Login, nonce_of(1)}.to_string()),
               Error);
}

}  // namespace
}  // namespace ecpa::pki
