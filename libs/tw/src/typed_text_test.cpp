#include "ecpa/tw/typed_text.hpp"

#include <gtest/gtest.h>

#include "ecpa/tw/national_id.hpp"

namespace ecpa::tw {
namespace {

TEST(TypedIdentifier, TrimsFoldsAndUpperCases) {
  EXPECT_EQ(fold_typed_identifier(" A123456789"), "A123456789");
  EXPECT_EQ(fold_typed_identifier("A123456789\n"), "A123456789");
  EXPECT_EQ(fold_typed_identifier("\r\n\tA123456789 \r\n"), "A123456789");
  EXPECT_EQ(fold_typed_identifier("ａ１２３４５６７８９"), "A123456789");
  EXPECT_EQ(fold_typed_identifier("Ａ１２３４５６７８９"), "A123456789");
  EXPECT_EQ(fold_typed_identifier("\u3000a123456789\u3000"), "A123456789");  // ideographic spaces
  EXPECT_EQ(fold_typed_identifier("\u00a0A123456789\u00a0"), "A123456789");  // no-break spaces
  EXPECT_EQ(fold_typed_identifier("ｅｃｐａ＿ｕｓｅｒ"), "ECPA_USER");
  EXPECT_EQ(fold_typed_identifier("！～"), "!~");  // the ends of the full-width block
  EXPECT_EQ(fold_typed_identifier(""), "");
  EXPECT_EQ(fold_typed_identifier(" \n "), "");
}

TEST(TypedIdentifier, LeavesEverythingElseForTheCheckToRefuse) {
  EXPECT_EQ(fold_typed_identifier("A12 3456789"), "A12 3456789");  // inner space stays: a typo, not padding
  EXPECT_EQ(fold_typed_identifier("王小明"), "王小明");
  EXPECT_EQ(fold_typed_identifier("\xEF\xBD\xA1"), "\xEF\xBD\xA1");  // U+FF61 (half-width 。) is not folded
  EXPECT_EQ(fold_typed_identifier("\xEF\xBC"), "\xEF\xBC");          // a cut sequence passes as it is
  EXPECT_EQ(fold_typed_identifier("\xEF"), "\xEF");
  EXPECT_EQ(fold_typed_identifier("\xE3\x80"), "\xE3\x80");
  EXPECT_EQ(fold_typed_identifier("\xC2"), "\xC2");
}

TEST(TypedIdentifier, NationalIdReadsWhatWasPasted) {
  for (const char* typed : {" A123456789", "A123456789\n", "ａ１２３４５６７８９", "\u3000A123456789\r\n"}) {
    auto id = NationalId::parse(typed);
    ASSERT_TRUE(id) << typed;
    EXPECT_EQ(id->value(), "A123456789") << typed;
  }
  EXPECT_FALSE(NationalId::parse("A12345678"));
  EXPECT_FALSE(NationalId::parse("A12 3456789"));
}

}  // namespace
}  // namespace ecpa::tw
