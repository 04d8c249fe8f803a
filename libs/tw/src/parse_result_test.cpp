#include "ecpa/tw/parse_result.hpp"

#include <gtest/gtest.h>

#include <string>
#include <variant>

namespace ecpa::tw {
namespace {

enum class TestError { Bad };
using Result = ParseResult<std::string, TestError>;

TEST(ParseResult, HoldsAValue) {
  const Result result{std::string{"ok"}};
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(static_cast<bool>(result));
  EXPECT_EQ(result.value(), "ok");
  EXPECT_EQ(*result, "ok");
  EXPECT_EQ(result->size(), 2U);
  EXPECT_EQ(Result{std::string{"moved"}}.value(), "moved");
}

TEST(ParseResult, HoldsAnErrorWithItsReason) {
  const Result result{ParseError<TestError>{TestError::Bad, "because"}};
  ASSERT_FALSE(result.ok());
  EXPECT_FALSE(static_cast<bool>(result));
  EXPECT_EQ(result.error(), TestError::Bad);
  EXPECT_EQ(result.reason(), "because");
}

TEST(ParseResult, MisuseIsReportedNotUndefined) {
  const Result failure{ParseError<TestError>{TestError::Bad, "because"}};
  EXPECT_THROW((void)failure.value(), std::bad_variant_access);
  const Result success{std::string{"ok"}};
  EXPECT_THROW((void)success.error(), std::bad_variant_access);
}

}  // namespace
}  // namespace ecpa::tw
