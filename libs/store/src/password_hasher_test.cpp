#include "ecpa/store/password_hasher.hpp"

#include <gtest/gtest.h>

#include "store_testing.hpp"

namespace ecpa::store {
namespace {

// The smallest cost libsodium allows: these tests are about behaviour, not strength.
constexpr Argon2Cost kCheap{.ops = 1, .memory_kib = 8};

TEST(PasswordHasherTest, VerifiesTheRightPasswordOnly) {
  PasswordHasher h(kCheap);
  const std::string encoded = h.hash("Correct-Horse-9");
  EXPECT_TRUE(encoded.starts_with("$argon2id$"));
  EXPECT_TRUE(h.verify(encoded, "Correct-Horse-9"));
  EXPECT_FALSE(h.verify(encoded, "Correct-Horse-8"));
  EXPECT_FALSE(h.verify(encoded, ""));
  // A salt each time: the same password never gives the same string.
  EXPECT_NE(h.hash("Correct-Horse-9"), encoded);
}

TEST(PasswordHasherTest, AnythingButAnArgon2idStringIsAWrongPassword) {
  PasswordHasher h(kCheap);
  EXPECT_FALSE(h.verify("", "x"));
  EXPECT_FALSE(h.verify("plain-text", "plain-text"));
  EXPECT_FALSE(h.verify("$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA", "x"));
  EXPECT_FALSE(h.verify(std::string(4096, '$'), "x"));
}

TEST(PasswordHasherTest, TellsWhenTheCostChanged) {
  PasswordHasher cheap(kCheap);
  PasswordHasher dearer(Argon2Cost{.ops = 2, .memory_kib = 16});
  const std::string encoded = cheap.hash("Correct-Horse-9");
  EXPECT_FALSE(cheap.needs_rehash(encoded));
  EXPECT_TRUE(dearer.needs_rehash(encoded));
  EXPECT_TRUE(dearer.verify(encoded, "Correct-Horse-9"));  // old hashes still verify
}

TEST(PasswordHasherTest, RefusesACostOutsideTheBounds) {
  EXPECT_EQ(testing::code_of([] { PasswordHasher(Argon2Cost{.ops = 0, .memory_kib = 8}); }),
            "CONFIG_INVALID");
  EXPECT_EQ(testing::code_of([] { PasswordHasher(Argon2Cost{.ops = 1, .memory_kib = 4}); }),
            "CONFIG_INVALID");
}

}  // namespace
}  // namespace ecpa::store
