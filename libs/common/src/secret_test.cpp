#include "ecpa/common/secret.hpp"

#include <gtest/gtest.h>

namespace ecpa {
namespace {

TEST(SecretBuffer, HoldsTextWithinItsReservedCapacity) {
  SecretBuffer pin(8);
  EXPECT_TRUE(pin.append("1234"));
  EXPECT_TRUE(pin.push_back('5'));
  EXPECT_EQ(pin.reveal(), "12345");
  const char* storage = pin.reveal().data();
  EXPECT_FALSE(pin.append("6789")) << "would exceed capacity";
  EXPECT_EQ(pin.reveal(), "12345") << "a refused append changes nothing";
  EXPECT_TRUE(pin.append("678"));
  EXPECT_EQ(pin.reveal().data(), storage) << "never reallocates";
  EXPECT_EQ(pin.size(), 8U);
}

TEST(SecretBuffer, ClearWipesTheWholeBuffer) {
  SecretBuffer pin(16);
  ASSERT_TRUE(pin.append("secret-pin"));
  const char* storage = pin.reveal().data();
  pin.clear();
  EXPECT_TRUE(pin.empty());
  for (size_t i = 0; i < 16; ++i) EXPECT_EQ(storage[i], '\0') << i;
}

TEST(SecretBuffer, TakeWipesTheSource) {
  std::string typed = "654321";
  SecretBuffer pin = SecretBuffer::take(typed);
  EXPECT_TRUE(typed.empty());
  EXPECT_EQ(pin.reveal(), "654321");
}

TEST(SecretBuffer, MoveLeavesSourceEmpty) {
  SecretBuffer a = SecretBuffer::copy_of("abc");
  SecretBuffer b = std::move(a);
  EXPECT_EQ(b.reveal(), "abc");
  // The moved-from state is specified, so reading it is the point of this test.
  EXPECT_TRUE(a.empty());       // NOLINT(bugprone-use-after-move,clang-analyzer-cplusplus.Move)
  EXPECT_EQ(a.capacity(), 0U);  // NOLINT(bugprone-use-after-move,clang-analyzer-cplusplus.Move)
  EXPECT_FALSE(a.append("x"));  // NOLINT(bugprone-use-after-move,clang-analyzer-cplusplus.Move)
  SecretBuffer c(4);
  c = std::move(b);
  EXPECT_EQ(c.reveal(), "abc");
}

TEST(SecretBuffer, EqualsComparesWholeContent) {
  auto pin = SecretBuffer::copy_of("123456");
  EXPECT_TRUE(pin.equals("123456"));
  EXPECT_FALSE(pin.equals("123457"));
  EXPECT_FALSE(pin.equals("12345"));
  EXPECT_FALSE(pin.equals(""));
}

TEST(SecureWipe, WipesStringCapacity) {
  std::string s = "a long enough string to be on the heap, not in SSO storage";
  const char* p = s.data();
  size_t cap = s.capacity();
  secure_wipe(s);
  EXPECT_TRUE(s.empty());
  for (size_t i = 0; i < cap; ++i) EXPECT_EQ(p[i], '\0');
}

}  // namespace
}  // namespace ecpa
