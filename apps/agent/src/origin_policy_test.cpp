#include "origin_policy.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "ecpa/common/error.hpp"
#include "ecpa/crypto/testing/files.hpp"

namespace ecpa::agent {
namespace {

TEST(NormaliseOrigin, CanonicalForm) {
  EXPECT_EQ(normalise_origin("https://Portal.Example.GOV.tw"), "https://portal.example.gov.tw");
  EXPECT_EQ(normalise_origin("https://a.example:443"), "https://a.example");
  EXPECT_EQ(normalise_origin("http://a.example:80"), "http://a.example");
  EXPECT_EQ(normalise_origin("http://127.0.0.1:08080"), "http://127.0.0.1:8080");
  EXPECT_EQ(normalise_origin("http://[::1]:5000"), "http://[::1]:5000");
}

TEST(NormaliseOrigin, RefusesWhatIsNotAnOrigin) {
  for (const char* bad :
       {"null", "", "file://x", "https://", "https://a.example/", "https://u@a.example",
        "https://a.example:0", "https://a.example:99999", "https://a b", "javascript:alert(1)",
        "https://a.example:", "https://a.example?x", "https://a_b.example\\"}) {
    EXPECT_EQ(normalise_origin(bad), std::nullopt) << bad;
  }
}

TEST(OriginPolicy, HostHeaderMustBeOurs) {
  OriginPolicy p({}, {}, 61161);
  EXPECT_TRUE(p.host_allowed("localhost:61161"));
  EXPECT_TRUE(p.host_allowed("127.0.0.1:61161"));
  EXPECT_TRUE(p.host_allowed("LOCALHOST:61161"));
  EXPECT_FALSE(p.host_allowed("localhost"));
  EXPECT_FALSE(p.host_allowed("evil.example:61161"));
  EXPECT_FALSE(p.host_allowed("localhost:61162"));
  EXPECT_FALSE(p.host_allowed("localhost.evil.example:61161"));
  EXPECT_FALSE(p.host_allowed(""));
}

TEST(OriginPolicy, ConfiguredSelfAndApproved) {
  crypto::testing::TempDir dir;
  OriginPolicy p({"https://portal.example"}, dir.path() / "sub" / "approved.txt", 61161);
  EXPECT_TRUE(p.allowed("https://portal.example"));
  EXPECT_TRUE(p.allowed("http://localhost:61161"));
  EXPECT_TRUE(p.is_self("http://127.0.0.1:61161"));
  EXPECT_FALSE(p.is_self("http://localhost:61162"));
  EXPECT_FALSE(p.allowed("https://other.example"));
  p.approve("https://Other.example:443");
  EXPECT_TRUE(p.allowed("https://other.example"));
  EXPECT_EQ(p.approved(), std::vector<std::string>{"https://other.example"});
  // The file is the person's to edit: comments and junk lines are fine, junk is never trusted.
  {
    std::ofstream f(dir.path() / "sub" / "approved.txt", std::ios::app);
    f << "# mine\n  https://third.example  \nnot an origin\n";
  }
  EXPECT_TRUE(p.allowed("https://third.example"));
  EXPECT_EQ(p.approved().size(), 2u);
  p.revoke("https://other.example");
  EXPECT_FALSE(p.allowed("https://other.example"));
  EXPECT_TRUE(p.allowed("https://third.example"));
}

TEST(OriginPolicy, BadInputIsTyped) {
  EXPECT_THROW(OriginPolicy({"portal.example"}, {}, 61161), Error);
  crypto::testing::TempDir dir;
  OriginPolicy p({}, dir.path() / "a.txt", 61161);
  try {
    p.approve("null");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), codes::AGENT_PARAMETER_INVALID);
  }
  OriginPolicy no_file({}, {}, 61161);
  EXPECT_THROW(no_file.approve("https://a.example"), Error);
}

}  // namespace
}  // namespace ecpa::agent
