#include "ecpa/common/utf8.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace ecpa {
namespace {

TEST(Utf8, AcceptsValidText) {
  EXPECT_TRUE(valid_utf8(""));
  EXPECT_TRUE(valid_utf8("CASTLES EZ100PU 00 00"));
  EXPECT_TRUE(valid_utf8("登入 內政部憑證管理中心"));
  EXPECT_TRUE(valid_utf8("\xF0\x9F\x94\x91"));  // U+1F511
}

TEST(Utf8, RefusesWhatJsonCannotCarry) {
  for (const char* bad :
       {"\xFF", "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE7\x99", "a\x80"}) {
    EXPECT_FALSE(valid_utf8(bad)) << bad;
    const std::string fixed = to_valid_utf8(bad);
    EXPECT_TRUE(valid_utf8(fixed));
    EXPECT_NO_THROW(nlohmann::json(fixed).dump());
  }
  EXPECT_EQ(to_valid_utf8("a\xFF"
                          "b"),
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(to_valid_utf8("登入"), "登入");
}

}  // namespace
}  // namespace ecpa
