#include "ecpa/crypto/time.hpp"

#include <gtest/gtest.h>

namespace ecpa::crypto {
namespace {

TEST(Asn1Time, RoundTripsWholeSeconds) {
  auto t = from_unix_seconds(1768435200);  // 2026-01-15
  auto a = to_asn1_time(t + std::chrono::milliseconds(900));
  EXPECT_EQ(from_asn1_time(a.get()), t);
  EXPECT_EQ(ASN1_STRING_type(a.get()), V_ASN1_UTCTIME);
}

TEST(Asn1Time, From2050UsesGeneralizedTime) {
  auto t = from_unix_seconds(2524608000);  // 2050-01-01
  auto a = to_asn1_time(t);
  EXPECT_EQ(ASN1_STRING_type(a.get()), V_ASN1_GENERALIZEDTIME);
  EXPECT_EQ(from_asn1_time(a.get()), t);
}

TEST(Asn1Time, RejectsGarbage) {
  Asn1TimePtr a(ASN1_TIME_new());
  ASN1_STRING_set(a.get(), "notatime", 8);
  a->type = V_ASN1_UTCTIME;
  EXPECT_THROW(from_asn1_time(a.get()), Error);
  EXPECT_THROW(from_asn1_time(nullptr), Error);
}

}  // namespace
}  // namespace ecpa::crypto
