#include "detail.hpp"

#include <gtest/gtest.h>
#include <openssl/objects.h>

namespace ecpa::crypto::detail {
namespace {

TEST(Detail, OidRoundTripsAsDottedText) {
  auto obj = oid_from_text("2.16.886.1.100.2.51", codes::CRYPTO_ARGUMENT_INVALID);
  EXPECT_EQ(oid_text(obj.get()), "2.16.886.1.100.2.51");
  // Known OIDs still come back dotted, never as a short name.
  EXPECT_EQ(oid_text(OBJ_nid2obj(NID_commonName)), "2.5.4.3");
}

TEST(Detail, OidFromTextRejectsNamesAndJunk) {
  for (const char* bad : {"CN", "", ".1.2", "1..2", "1.2.", "1.2.x"}) {
    EXPECT_THROW(oid_from_text(bad, codes::CRYPTO_ARGUMENT_INVALID), Error) << bad;
  }
}

TEST(Detail, Utf8OfConvertsBmpString) {
  Asn1StringPtr s(ASN1_STRING_type_new(V_ASN1_BMPSTRING));
  const unsigned char bmp[] = {0x88, 0x4c, 0x65, 0x3f};  // 行政 in UTF-16BE
  ASN1_STRING_set(s.get(), bmp, sizeof bmp);
  EXPECT_EQ(utf8_of(s.get(), codes::CERT_MALFORMED), "行政");
}

}  // namespace
}  // namespace ecpa::crypto::detail
