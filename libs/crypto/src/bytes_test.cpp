#include "ecpa/crypto/bytes.hpp"

#include <gtest/gtest.h>

#include "ecpa/common/error.hpp"

namespace ecpa::crypto {
namespace {

TEST(Bytes, HexRoundTrip) {
  Bytes b = {0x00, 0xab, 0xff};
  EXPECT_EQ(to_hex(b), "00abff");
  EXPECT_EQ(to_hex(b, true), "00ABFF");
  EXPECT_EQ(from_hex("00ABff"), b);
}

TEST(Bytes, HexRejectsOddAndNonHex) {
  EXPECT_THROW(from_hex("abc"), Error);
  EXPECT_THROW(from_hex("zz"), Error);
}

TEST(Bytes, Base64KnownVectors) {
  EXPECT_EQ(to_base64(as_bytes("")), "");
  EXPECT_EQ(to_base64(as_bytes("f")), "Zg==");
  EXPECT_EQ(to_base64(as_bytes("foob")), "Zm9vYg==");
  EXPECT_EQ(from_base64("Zm9vYmFy"), to_bytes("foobar"));
  EXPECT_EQ(from_base64("Zm9vYg=="), to_bytes("foob"));
  EXPECT_EQ(from_base64("Zm8="), to_bytes("fo"));
}

TEST(Bytes, Base64RejectsNonCanonicalInput) {
  for (const char* bad : {"Zm9", "Zm9v\n", " Zm9v", "Zg=a", "Z===x===", "Zm9v!A==", "=Zm9"}) {
    try {
      from_base64(bad);
      ADD_FAILURE() << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), codes::BAD_REQUEST);
    }
  }
}

TEST(Bytes, DigestsMatchKnownValues) {
  EXPECT_EQ(to_hex(sha256(as_bytes("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(to_hex(sha1(as_bytes("abc"))), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(digest(DigestAlgorithm::Sha384, as_bytes("abc")).size(), 48u);
  EXPECT_EQ(digest(DigestAlgorithm::Sha512, as_bytes("abc")).size(), 64u);
}

TEST(Bytes, DigestNames) {
  for (auto alg :
       {DigestAlgorithm::Sha1, DigestAlgorithm::Sha256, DigestAlgorithm::Sha384, DigestAlgorithm::Sha512}) {
    EXPECT_EQ(digest_from_name(digest_name(alg)), alg);
    EXPECT_EQ(digest(alg, as_bytes("x")).size(), digest_size(alg));
  }
  EXPECT_THROW(digest_from_name("MD5"), Error);
  EXPECT_THROW(digest_from_name("sha256"), Error);
}

TEST(Bytes, RandomBytesDiffer) {
  auto a = random_bytes(32);
  auto b = random_bytes(32);
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
}

TEST(Bytes, ConstantTimeEquality) {
  EXPECT_TRUE(equal_constant_time(as_bytes("abc"), as_bytes("abc")));
  EXPECT_FALSE(equal_constant_time(as_bytes("abc"), as_bytes("abd")));
  EXPECT_FALSE(equal_constant_time(as_bytes("abc"), as_bytes("ab")));
}

}  // namespace
}  // namespace ecpa::crypto
