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

TEST(Detail, DigestOfNidKnowsOnlyTheFourHashes) {
  // Every algorithm we speak maps back to itself through its OpenSSL NID.
  for (auto alg :
       {DigestAlgorithm::Sha1, DigestAlgorithm::Sha256, DigestAlgorithm::Sha384, DigestAlgorithm::Sha512}) {
    EXPECT_EQ(digest_of_nid(EVP_MD_get_type(evp_md(alg))), alg) << digest_name(alg);
  }
  for (int other : {NID_md5, NID_sha224, NID_sha3_256, NID_rsaEncryption, NID_undef}) {
    EXPECT_EQ(digest_of_nid(other), std::nullopt) << other;
  }
}

TEST(Detail, TlvRoundTripsShortAndLongLengths) {
  for (std::size_t n : {0u, 5u, 127u, 128u, 300u, 70000u}) {
    Bytes content(n, 0xab);
    Bytes der = make_tlv(0x04, content);
    Tlv t;
    ASSERT_TRUE(read_tlv(der, 0, t)) << n;
    EXPECT_EQ(t.tag, 0x04);
    EXPECT_EQ(t.length, n);
    EXPECT_EQ(t.end(0), der.size());
  }
}

TEST(Detail, TlvRejectsTruncatedAndIndefinite) {
  Tlv t;
  EXPECT_FALSE(read_tlv(Bytes{0x04}, 0, t));
  EXPECT_FALSE(read_tlv(Bytes{0x04, 0x05, 0x00}, 0, t));        // content runs past the end
  EXPECT_FALSE(read_tlv(Bytes{0x30, 0x80, 0x00, 0x00}, 0, t));  // indefinite length
  EXPECT_FALSE(read_tlv(Bytes{0x1f, 0x01, 0x00}, 0, t));        // multi-byte tag
  EXPECT_FALSE(read_tlv(Bytes{0x04, 0x82, 0x01}, 0, t));        // truncated length
}

}  // namespace
}  // namespace ecpa::crypto::detail
