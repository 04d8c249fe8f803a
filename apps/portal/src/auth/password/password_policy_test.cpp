#include "auth/password/password_policy.hpp"

#include <gtest/gtest.h>

#include "ecpa/common/error.hpp"

namespace ecpa::portal {
namespace {

std::string code_of(const PasswordPolicy& p, std::string_view account, std::string_view password) {
  try {
    check_password_text(p, account, password);
  } catch (const Error& e) {
    return std::string(e.code().value);
  }
  return "OK";
}

TEST(PasswordPolicyTest, EachRuleHasItsOwnCode) {
  const PasswordPolicy p;  // 12, 3 of 4
  EXPECT_EQ(code_of(p, "wang.ming", "Tainan-2026!x"), "OK");
  EXPECT_EQ(code_of(p, "wang.ming", "Short-1a"), "PASSWORD_TOO_SHORT");
  EXPECT_EQ(code_of(p, "wang.ming", std::string(129, 'a') + "A1"), "PASSWORD_TOO_LONG");
  EXPECT_EQ(code_of(p, "wang.ming", "alllowercaseletters"), "PASSWORD_TOO_FEW_CLASSES");
  EXPECT_EQ(code_of(p, "wang.ming", "lowercase123456"), "PASSWORD_TOO_FEW_CLASSES");  // 2 classes
  EXPECT_EQ(code_of(p, "wang.ming", "lowercase1234!"), "OK");                         // 3 classes
  EXPECT_EQ(code_of(p, "wang.ming", "My-WANG.MING-2026"), "PASSWORD_CONTAINS_ACCOUNT");
  EXPECT_EQ(code_of(p, "wang.ming", "Tainan\t2026!xx"), "PASSWORD_CHARACTERS_INVALID");
  EXPECT_EQ(code_of(p, "wang.ming", " Tainan-2026!x"), "PASSWORD_CHARACTERS_INVALID");
  EXPECT_EQ(code_of(p, "wang.ming", "Tainan-2026!x\xff"), "PASSWORD_CHARACTERS_INVALID");
  EXPECT_EQ(code_of(p, "wang.ming", ""), "PASSWORD_TOO_SHORT");
}

TEST(PasswordPolicyTest, LengthCountsCharactersNotBytes) {
  PasswordPolicy p;
  p.min_length = 8;
  // Seven characters, 19 bytes: too short however many bytes.
  EXPECT_EQ(code_of(p, "", "臺北市A1b2"), "PASSWORD_TOO_SHORT");
  EXPECT_EQ(code_of(p, "", "臺北市A1b2c"), "OK");  // non-ASCII counts as a symbol class
}

TEST(PasswordPolicyTest, TheRulesAreConfigurableWithinTheBaseline) {
  PasswordPolicy p;
  p.min_length = 8;
  p.min_classes = 4;
  EXPECT_EQ(code_of(p, "", "Abcdefg1"), "PASSWORD_TOO_FEW_CLASSES");
  EXPECT_EQ(code_of(p, "", "Abcdef1!"), "OK");
  EXPECT_NO_THROW(check_policy(p));
  p.min_length = 7;  // under the baseline's floor
  EXPECT_THROW(check_policy(p), Error);
  p = PasswordPolicy{};
  p.min_age = std::chrono::days(90);
  EXPECT_THROW(check_policy(p), Error);
  p = PasswordPolicy{};
  p.history = 0;
  EXPECT_THROW(check_policy(p), Error);
}

TEST(PasswordPolicyTest, RefusalsCarryTheNumbersTheMessageNeeds) {
  try {
    check_password_text(PasswordPolicy{}, "", "Ab1!");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.params().at("min_length"), "12");
  }
}

}  // namespace
}  // namespace ecpa::portal
