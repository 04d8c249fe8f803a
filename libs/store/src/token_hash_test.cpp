#include "ecpa/store/token_hash.hpp"

#include <gtest/gtest.h>

namespace ecpa::store {
namespace {

TEST(TokenHash, SameTokenSameHashOtherTokenOtherHash) {
  EXPECT_EQ(TokenHash::of("token-a"), TokenHash::of("token-a"));
  EXPECT_FALSE(TokenHash::of("token-a") == TokenHash::of("token-b"));
  EXPECT_FALSE(TokenHash::of("") == TokenHash::of(std::string_view("\0", 1)));
}

TEST(TokenHash, IsBlake2b256) {
  // BLAKE2b-256("abc"), from the reference implementation's test vectors.
  const std::uint8_t expected[] = {0xbd, 0xdd, 0x81, 0x3c, 0x63, 0x42, 0x39, 0x72, 0x31, 0x71, 0xef,
                                   0x3f, 0xee, 0x98, 0x57, 0x9b, 0x94, 0x96, 0x4e, 0x3b, 0xb1, 0xcb,
                                   0x3e, 0x42, 0x72, 0x62, 0xc8, 0xc0, 0x68, 0xd5, 0x23, 0x19};
  auto h = TokenHash::of("abc");
  EXPECT_TRUE(std::equal(h.bytes().begin(), h.bytes().end(), std::begin(expected)));
}

TEST(TokenHash, FromBytesChecksTheSize) {
  auto h = TokenHash::of("x");
  TokenHash back;
  ASSERT_TRUE(TokenHash::from_bytes(h.bytes(), back));
  EXPECT_EQ(back, h);
  std::vector<std::uint8_t> short_bytes(31);
  EXPECT_FALSE(TokenHash::from_bytes(short_bytes, back));
  EXPECT_EQ(back, h);  // unchanged
}

}  // namespace
}  // namespace ecpa::store
