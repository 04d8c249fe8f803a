#include "ecpa/http/url.hpp"

#include <gtest/gtest.h>

#include "ecpa/common/error.hpp"

namespace ecpa::http {
namespace {

TEST(PercentDecode, FormAndPathRules) {
  EXPECT_EQ(percent_decode("a%20b+c", true), "a b c");
  EXPECT_EQ(percent_decode("a%20b+c", false), "a b+c");
  EXPECT_EQ(percent_decode("%E8%87%AA", false), "自");
  EXPECT_EQ(percent_decode("%2B", true), "+");
  EXPECT_FALSE(percent_decode("%", false));
  EXPECT_FALSE(percent_decode("%4", false));
  EXPECT_FALSE(percent_decode("a%zz", false));
  EXPECT_FALSE(percent_decode("%g0", true));
  EXPECT_EQ(percent_decode("", true), "");
}

TEST(PercentEncode, RoundTrips) {
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  EXPECT_EQ(percent_decode(percent_encode(all), true), all);
  EXPECT_EQ(percent_encode("a b+/~"), "a%20b%2B%2F~");
}

TEST(ParseForm, HipkiTbsPackageBody) {
  // The HiPKI samples send tbsPackage=<JSON> with '+' escaped as %2B.
  auto form = parse_form("tbsPackage=%7B%22tbs%22%3A%22a%2Bb+c%22%7D&x=");
  ASSERT_EQ(form.count("tbsPackage"), 1u);
  EXPECT_EQ(form.find("tbsPackage")->second, R"({"tbs":"a+b c"})");
  EXPECT_EQ(form.find("x")->second, "");
}

TEST(ParseForm, RepeatedNamesEmptyPairsAndBareNames) {
  auto form = parse_form("a=1&&a=2&flag&=v");
  EXPECT_EQ(form.count("a"), 2u);
  EXPECT_EQ(form.find("flag")->second, "");
  EXPECT_EQ(form.find("")->second, "v");
  EXPECT_TRUE(parse_query("").empty());
}

TEST(ParseForm, MalformedOrHugeIsBadRequest) {
  try {
    parse_form("a=%zz");
    ADD_FAILURE();
  } catch (const ecpa::Error& e) {
    EXPECT_EQ(e.code(), ecpa::codes::BAD_REQUEST);
  }
  std::string many;
  for (int i = 0; i < 11; ++i) many += "a=" + std::to_string(i) + "&";
  EXPECT_THROW(parse_form(many, 10), ecpa::Error);
  EXPECT_NO_THROW(parse_form(many, 11));
}

TEST(FormEncode, InverseOfParse) {
  std::string body = form_encode({{"tbsPackage", R"({"tbs":"a+b c&d=e"})"}, {"x y", "自然人"}});
  auto form = parse_form(body);
  EXPECT_EQ(form.find("tbsPackage")->second, R"({"tbs":"a+b c&d=e"})");
  EXPECT_EQ(form.find("x y")->second, "自然人");
  EXPECT_EQ(body.find('+'), std::string::npos);
}

}  // namespace
}  // namespace ecpa::http
