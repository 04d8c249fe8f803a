#include "ecpa/crypto/der_check.hpp"

#include <gtest/gtest.h>

#include "ecpa/crypto/testing/test_pki.hpp"

namespace ecpa::crypto {
namespace {

TEST(DerCheck, AcceptsRealCertificate) {
  auto root = testing::make_root();
  EXPECT_TRUE(is_strict_der(root.cert.der()));
}

TEST(DerCheck, AcceptsNestedShortAndLongForms) {
  EXPECT_TRUE(is_strict_der(Bytes{0x30, 0x03, 0x02, 0x01, 0x05}));
  Bytes big{0x04, 0x81, 0x80};
  big.resize(3 + 0x80, 0xAA);
  EXPECT_TRUE(is_strict_der(big));
}

TEST(DerCheck, RefusesIndefiniteLength) {
  EXPECT_FALSE(is_strict_der(Bytes{0x30, 0x80, 0x02, 0x01, 0x05, 0x00, 0x00}));
}

TEST(DerCheck, RefusesNonMinimalLength) {
  EXPECT_FALSE(is_strict_der(Bytes{0x30, 0x81, 0x03, 0x02, 0x01, 0x05}));        // short form fits
  EXPECT_FALSE(is_strict_der(Bytes{0x30, 0x82, 0x00, 0x03, 0x02, 0x01, 0x05}));  // leading zero
}

TEST(DerCheck, RefusesTrailingBytesAndTruncation) {
  EXPECT_FALSE(is_strict_der(Bytes{0x02, 0x01, 0x05, 0x00}));
  EXPECT_FALSE(is_strict_der(Bytes{0x30, 0x05, 0x02, 0x01}));
  EXPECT_FALSE(is_strict_der(Bytes{}));
}

TEST(DerCheck, RefusesTrailingBytesInsideAConstructedElement) {
  // The SEQUENCE's inner INTEGER runs past what the SEQUENCE declares.
  EXPECT_FALSE(is_strict_der(Bytes{0x30, 0x02, 0x02, 0x01, 0x05}));
}

TEST(DerCheck, RefusesConstructedStrings) {
  // A BER constructed OCTET STRING made of two primitive pieces.
  EXPECT_FALSE(is_strict_der(Bytes{0x24, 0x06, 0x04, 0x01, 0x61, 0x04, 0x01, 0x62}));
}

TEST(DerCheck, RefusesHostileNesting) {
  // 60 SEQUENCEs nested in each other (each 2 header bytes), around a NULL.
  Bytes nested{0x05, 0x00};
  for (int i = 0; i < 60; ++i) {
    Bytes outer{0x30, static_cast<std::uint8_t>(nested.size())};
    outer.insert(outer.end(), nested.begin(), nested.end());
    nested = outer;
  }
  EXPECT_TRUE(is_strict_der(nested, 100));
  EXPECT_FALSE(is_strict_der(nested, 5));
}

}  // namespace
}  // namespace ecpa::crypto
