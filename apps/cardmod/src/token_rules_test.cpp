#include "token_rules.hpp"

#include <gtest/gtest.h>

namespace ecpa::cardmod {
namespace {

TokenState with_tries(int left) {
  TokenState t;
  t.retries_left = left;
  return t;
}

TEST(PinFlags, FollowTheCounter) {
  const CK_FLAGS base = CKF_TOKEN_INITIALIZED | CKF_LOGIN_REQUIRED;
  EXPECT_EQ(with_pin_flags(base, with_tries(3)), base);
  EXPECT_EQ(with_pin_flags(base, with_tries(2)), base | CKF_USER_PIN_COUNT_LOW);
  EXPECT_EQ(with_pin_flags(base, with_tries(1)), base | CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY);
  EXPECT_EQ(with_pin_flags(base, with_tries(0)), base | CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_LOCKED);
}

TEST(PinFlags, ReplaceWhatTheRealModuleSaid) {
  CK_FLAGS noisy = CKF_USER_PIN_LOCKED | CKF_USER_PIN_FINAL_TRY;
  EXPECT_EQ(with_pin_flags(noisy, with_tries(3)), 0U);
}

TEST(CountLogin, WrongPinTakesATryRightPinRestoresAll) {
  TokenState t;
  EXPECT_TRUE(count_login(t, CKR_PIN_INCORRECT));
  EXPECT_EQ(t.retries_left, 2);
  EXPECT_TRUE(count_login(t, CKR_OK));
  EXPECT_EQ(t.retries_left, 3);
  EXPECT_FALSE(count_login(t, CKR_OK)) << "nothing to write";
  EXPECT_FALSE(count_login(t, CKR_PIN_LEN_RANGE)) << "a PIN of the wrong length is not checked";
  t.retries_left = 0;
  EXPECT_FALSE(count_login(t, CKR_PIN_INCORRECT));
  EXPECT_EQ(t.retries_left, 0);
}

TEST(DefaultReader, NamesLikeAPcscReader) {
  EXPECT_EQ(default_reader(0), "CASTLES EZ100PU 00 00");
  EXPECT_EQ(default_reader(7), "CASTLES EZ100PU 07 00");
}

TEST(Faults, GlobalAndPerCardAddUp) {
  State s;
  s.faults.push_back({.function = "C_Sign", .delay_ms = 100});
  s.tokens["A"].faults.push_back({.function = "*", .delay_ms = 20, .rv = CKR_DEVICE_ERROR});
  s.tokens["B"].faults.push_back({.function = "C_Sign", .remove = true});
  FaultPlan a = plan_faults(s, "A", "C_Sign");
  EXPECT_EQ(a.delay_ms, 120U);
  EXPECT_EQ(a.rv, CKR_DEVICE_ERROR);
  EXPECT_FALSE(a.remove);
  FaultPlan b = plan_faults(s, "B", "C_Sign");
  EXPECT_EQ(b.delay_ms, 100U);
  EXPECT_TRUE(b.remove);
  EXPECT_EQ(b.rv, CKR_OK);
  EXPECT_FALSE(plan_faults(s, "B", "C_Login").any());
  EXPECT_FALSE(plan_faults(s, "C", "C_Login").any());
}

TEST(Faults, OnceFaultsAreConsumedOnlyWhereTheyMatch) {
  State s;
  s.tokens["A"].faults.push_back({.function = "C_Sign", .remove = true, .once = true});
  s.tokens["A"].faults.push_back({.function = "C_Login", .rv = CKR_DEVICE_ERROR, .once = true});
  s.faults.push_back({.function = "C_Sign", .delay_ms = 1});
  EXPECT_TRUE(plan_faults(s, "A", "C_Sign").consumes_once);
  EXPECT_TRUE(consume_once(s, "A", "C_Sign"));
  ASSERT_EQ(s.tokens["A"].faults.size(), 1U);
  EXPECT_EQ(s.tokens["A"].faults[0].function, "C_Login");
  EXPECT_EQ(s.faults.size(), 1U) << "not once: stays";
  EXPECT_FALSE(consume_once(s, "A", "C_Sign"));
}

}  // namespace
}  // namespace ecpa::cardmod
