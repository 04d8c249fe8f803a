#include "ecpa/crypto/aead.hpp"

#include <gtest/gtest.h>

#include "ecpa/crypto/testing/expect_error.hpp"

namespace ecpa::crypto {
namespace {

// NIST's GCM test vector "Test Case 16" (AES-256, 96-bit IV, 60-byte plaintext, 20-byte AAD) from the GCM
// specification (McGrew & Viega), so the primitive is checked against an answer computed elsewhere.
const Bytes kKey = from_hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
const Bytes kIv = from_hex("cafebabefacedbaddecaf888");
const Bytes kPlain = from_hex(
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5"
    "aa0de657ba637b39");
const Bytes kAad = from_hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
const std::string kCipherAndTag =
    "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e63"
    "93ba7a0abcc9f662"
    "76fc6ece0f4e1768cddf8853bb2d551b";

TEST(Aes256Gcm, MatchesTheSpecificationsTestVector) {
  EXPECT_EQ(to_hex(aes256_gcm_seal(kKey, kIv, kPlain, kAad)), kCipherAndTag);
  auto opened = aes256_gcm_open(kKey, kIv, from_hex(kCipherAndTag), kAad);
  ASSERT_TRUE(opened);
  EXPECT_EQ(*opened, kPlain);
}

TEST(Aes256Gcm, AnyChangeFailsTheTag) {
  Bytes sealed = aes256_gcm_seal(kKey, kIv, kPlain, kAad);
  for (std::size_t i : {std::size_t{0}, sealed.size() / 2, sealed.size() - 1}) {
    Bytes bad = sealed;
    bad[i] ^= 1;
    EXPECT_FALSE(aes256_gcm_open(kKey, kIv, bad, kAad)) << "byte " << i;
  }
  Bytes other_key = kKey;
  other_key[0] ^= 1;
  EXPECT_FALSE(aes256_gcm_open(other_key, kIv, sealed, kAad));
  Bytes other_iv = kIv;
  other_iv[11] ^= 1;
  EXPECT_FALSE(aes256_gcm_open(kKey, other_iv, sealed, kAad));
  EXPECT_FALSE(aes256_gcm_open(kKey, kIv, sealed, {}));
  EXPECT_FALSE(aes256_gcm_open(kKey, kIv, Bytes(15, 0)));  // shorter than a tag
}

TEST(Aes256Gcm, EmptyPlaintextStillCarriesATag) {
  Bytes sealed = aes256_gcm_seal(kKey, kIv, {});
  EXPECT_EQ(sealed.size(), kAesGcmTagSize);
  EXPECT_EQ(aes256_gcm_open(kKey, kIv, sealed), Bytes{});
}

TEST(Aes256Gcm, WrongSizesAreArgumentErrors) {
  using testing::expect_error;
  expect_error(codes::CRYPTO_ARGUMENT_INVALID, [] { (void)aes256_gcm_seal(Bytes(16, 0), kIv, kPlain); });
  expect_error(codes::CRYPTO_ARGUMENT_INVALID, [] { (void)aes256_gcm_seal(kKey, Bytes(16, 0), kPlain); });
  expect_error(codes::CRYPTO_ARGUMENT_INVALID, [] { (void)aes256_gcm_open(kKey, Bytes(8, 0), kPlain); });
}

}  // namespace
}  // namespace ecpa::crypto
