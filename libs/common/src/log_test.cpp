#include "ecpa/common/log.hpp"

#include <gtest/gtest.h>

#include <set>
#include <sstream>

namespace ecpa::log {
namespace {

std::vector<nlohmann::json> lines(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line));
  return out;
}

TEST(Logger, WritesOneJsonObjectPerLineWithTrace) {
  std::ostringstream out;
  auto logger = Logger::to_stream("portal", out);
  auto req = logger.with_trace("abc123");
  req.info("login.ok", {{"method", "moica"}, {"serial", "0A1B"}});
  logger.warn("startup", {{"workers", 2}});
  auto got = lines(out.str());
  ASSERT_EQ(got.size(), 2U);
  EXPECT_EQ(got[0]["event"], "login.ok");
  EXPECT_EQ(got[0]["trace"], "abc123");
  EXPECT_EQ(got[0]["component"], "portal");
  EXPECT_EQ(got[0]["level"], "info");
  EXPECT_EQ(got[0]["method"], "moica");
  EXPECT_FALSE(got[1].contains("trace"));
  EXPECT_EQ(got[1]["workers"], 2);
  EXPECT_TRUE(got[0]["ts"].get<std::string>().ends_with("Z"));
}

TEST(Logger, NeverWritesSecretsOrFullIdNumbers) {
  std::ostringstream out;
  auto logger = Logger::to_stream("agent", out);
  logger.info("bind.failed for A123456789",
              {{"pin", "123456"},
               {"Password", "hunter2hunter2"},
               {"nested", {{"signature", "MIIB..."}, {"note", "id A123456789"}}},
               {"list", {"B234567890", "TP03200302000536"}}});
  std::string text = out.str();
  EXPECT_EQ(text.find("123456\""), std::string::npos);
  EXPECT_EQ(text.find("hunter2"), std::string::npos);
  EXPECT_EQ(text.find("MIIB"), std::string::npos);
  EXPECT_EQ(text.find("A123456789"), std::string::npos);
  EXPECT_EQ(text.find("B234567890"), std::string::npos);
  EXPECT_NE(text.find("A12****789"), std::string::npos);
  EXPECT_NE(text.find("TP03200302000536"), std::string::npos) << "card serials are not ID numbers";
}

TEST(Logger, RespectsMinimumLevelAndInvalidUtf8) {
  std::ostringstream out;
  auto logger = Logger::to_stream("sim", out, Level::Warn);
  logger.info("hidden");
  logger.error("shown", {{"raw", std::string("\xff\xfe bad")}});
  auto got = lines(out.str());
  ASSERT_EQ(got.size(), 1U);
  EXPECT_EQ(got[0]["event"], "shown");
}

TEST(MaskIdLike, MasksOnlyWholeIdShapedTokens) {
  EXPECT_EQ(mask_id_like("A123456789"), "A12****789");
  EXPECT_EQ(mask_id_like("x=AC01234567;"), "x=AC0****567;");
  EXPECT_EQ(mask_id_like("A800000014 and F987654321"), "A80****014 and F98****321");
  EXPECT_EQ(mask_id_like("A1234567890"), "A1234567890") << "11 digits is not an ID";
  EXPECT_EQ(mask_id_like("XA123456789"), "XA123456789");
  EXPECT_EQ(mask_id_like("short"), "short");
}

TEST(TraceId, IsRandom128BitHex) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    auto id = new_trace_id();
    ASSERT_EQ(id.size(), 32U);
    EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000U);
}

TEST(ParseLevel, KnownNamesAndDefault) {
  EXPECT_EQ(parse_level("debug"), Level::Debug);
  EXPECT_EQ(parse_level("warn"), Level::Warn);
  EXPECT_EQ(parse_level("error"), Level::Error);
  EXPECT_EQ(parse_level("verbose"), Level::Info);
}

}  // namespace
}  // namespace ecpa::log
