#include "ecpa/crypto/cms_verify.hpp"

#include <gtest/gtest.h>

#include "ecpa/crypto/cms_sign.hpp"
#include "ecpa/crypto/testing/expect_error.hpp"
#include "ecpa/crypto/testing/test_pki.hpp"

namespace ecpa::crypto {
namespace {

using testing::kPinnedNow;

const testing::CitizenPki& pki() { return testing::shared_pki(); }

const std::string kContent = "openecpa-login-v1\norigin=https://portal.example\npurpose=login\nnonce=x\n";

Bytes signed_package(DigestAlgorithm alg = DigestAlgorithm::Sha256) {
  return cms_sign_attached(as_bytes(kContent), pki().leaf.cert, software_signer(pki().leaf.key),
                           testing::hipki_sign_options(alg));
}

void expect_malformed(const Bytes& der) {
  testing::expect_error(codes::CMS_MALFORMED, [&] { CmsSignedData::from_der(der); });
}

TEST(CmsVerify, ReadsWhatTheHipkiComponentWrites) {
  auto cms = CmsSignedData::from_der(signed_package());
  EXPECT_EQ(as_chars(cms.content()), kContent);
  EXPECT_EQ(cms.signer(), pki().leaf.cert);
  EXPECT_EQ(cms.digest(), DigestAlgorithm::Sha256);
  EXPECT_EQ(cms.digest_oid(), "2.16.840.1.101.3.4.2.1");
  EXPECT_TRUE(cms.has_signed_attributes());
  EXPECT_EQ(cms.nonce_attribute(), to_bytes("n0nce"));
  EXPECT_EQ(cms.card_serial_attribute(), "TP03200302000536");
  EXPECT_EQ(cms.signing_time(), kPinnedNow);
  EXPECT_TRUE(cms.verify());
}

TEST(CmsVerify, ReportsSha1SoThePolicyCanRefuseIt) {
  auto cms = CmsSignedData::from_der(signed_package(DigestAlgorithm::Sha1));
  EXPECT_EQ(cms.digest(), DigestAlgorithm::Sha1);
  EXPECT_TRUE(cms.verify());
}

TEST(CmsVerify, TamperedContentFailsVerification) {
  Bytes der = signed_package();
  auto pos = std::search(der.begin(), der.end(), kContent.begin(), kContent.end());
  ASSERT_NE(pos, der.end());
  *(pos + 20) ^= 0x01;
  auto cms = CmsSignedData::from_der(der);
  EXPECT_FALSE(cms.verify());
}

TEST(CmsVerify, TamperedSignatureFailsVerification) {
  Bytes der = signed_package();
  der[der.size() - 10] ^= 0x40;  // the signature value is the last element
  auto cms = CmsSignedData::from_der(der);
  EXPECT_FALSE(cms.verify());
}

TEST(CmsVerify, RefusesTrailingBytesTruncationAndJunk) {
  Bytes der = signed_package();
  Bytes longer = der;
  longer.push_back(0);
  expect_malformed(longer);
  expect_malformed(Bytes(der.begin(), der.begin() + static_cast<long>(der.size() / 2)));
  expect_malformed(Bytes{0x30, 0x00});
  expect_malformed(pki().leaf.cert.der());  // DER, but a certificate, not CMS
}

TEST(CmsVerify, RefusesIndefiniteLengthBer) {
  // The outer ContentInfo re-written with an indefinite length: same content, BER.
  Bytes der = signed_package();
  std::size_t header = (der[1] & 0x80) ? 2 + (der[1] & 0x7f) : 2;
  Bytes ber{0x30, 0x80};
  ber.insert(ber.end(), der.begin() + static_cast<long>(header), der.end());
  ber.push_back(0);
  ber.push_back(0);
  expect_malformed(ber);
}

TEST(CmsVerify, RefusesASignerWhoseCertificateIsNotEnclosed) {
  // Swap the enclosed certificate for another one of the same length: the SignerInfo then names
  // a certificate that is not there.
  Bytes der = signed_package();
  const Bytes& mine = pki().leaf.cert.der();
  const Bytes& theirs = pki().other.cert.der();
  if (mine.size() != theirs.size()) GTEST_SKIP() << "certificates differ in length";
  auto pos = std::search(der.begin(), der.end(), mine.begin(), mine.end());
  ASSERT_NE(pos, der.end());
  std::copy(theirs.begin(), theirs.end(), pos);
  expect_malformed(der);
}

}  // namespace
}  // namespace ecpa::crypto
