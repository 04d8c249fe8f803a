#include "ecpa/common/error.hpp"

#include <gtest/gtest.h>

namespace ecpa {
namespace {

TEST(Error, CarriesCodeStatusAndCauseApart) {
  Error e(codes::NATIONAL_ID_CHECKSUM, "input had bad digit at 9");
  EXPECT_EQ(e.code(), codes::NATIONAL_ID_CHECKSUM);
  EXPECT_EQ(e.http_status(), 400);
  EXPECT_EQ(e.cause(), "input had bad digit at 9");
  // The person-facing text never contains the internal cause.
  auto zh = e.message(Lang::ZhTW);
  auto en = e.message(Lang::En);
  EXPECT_EQ(zh.message.find("digit"), std::string::npos);
  EXPECT_EQ(en.message.find("bad digit"), std::string::npos);
  EXPECT_NE(zh.message.find("檢查碼"), std::string::npos);
  EXPECT_NE(en.message.find("check digit"), std::string::npos);
  EXPECT_STREQ(e.what(), "NATIONAL_ID_CHECKSUM: input had bad digit at 9");
}

TEST(Error, FillsParametersIntoBothLanguages) {
  Error e = Error(codes::RATE_LIMITED, "ip 127.0.0.1").with("retry_after", "60");
  EXPECT_EQ(e.http_status(), 429);
  EXPECT_NE(e.message(Lang::ZhTW).action.find("60 秒"), std::string::npos);
  EXPECT_NE(e.message(Lang::En).action.find("60 seconds"), std::string::npos);
}

TEST(Error, OriginNamesProjectRelativeFileAndLine) {
  Error e(codes::BAD_REQUEST);
  EXPECT_EQ(e.origin().rfind("libs/common/src/error_test.cpp:", 0), 0U) << e.origin();
}

TEST(Error, IsCatchableAsStdException) {
  try {
    throw Error(codes::INTERNAL_ERROR, "boom");
  } catch (const std::exception& ex) {
    EXPECT_STREQ(ex.what(), "INTERNAL_ERROR: boom");
    return;
  }
  FAIL() << "not caught";
}

}  // namespace
}  // namespace ecpa
