#include "ecpa/crypto/certificate_builder.hpp"

#include <gtest/gtest.h>

#include "ecpa/crypto/oids.hpp"
#include "ecpa/crypto/testing/test_pki.hpp"

namespace ecpa::crypto {
namespace {

using namespace std::chrono_literals;
using testing::kPinnedNow;

const testing::KeyAndCert& ca() {
  static auto root = testing::make_root();
  static auto c = testing::make_issuing_ca(root);
  return c;
}
const PrivateKey& leaf_key() {
  static auto k = PrivateKey::generate_rsa(2048);
  return k;
}

CertificateBuilder basic() {
  CertificateBuilder b;
  b.subject(DistinguishedName({{"C", "TW"}, {"CN", "測試"}}))
      .public_key(leaf_key().public_key())
      .validity(kPinnedNow, kPinnedNow + 24h);
  return b;
}

void expect_invalid(auto&& fn) {
  try {
    fn();
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), codes::CRYPTO_ARGUMENT_INVALID) << e.what();
  }
}

TEST(CertificateBuilder, WritesExactlyWhatWasAsked) {
  auto c = basic()
               .serial({0x01, 0x02})
               .key_usage({.key_encipherment = true, .data_encipherment = true})
               .ext_key_usage({std::string(oids::kEkuClientAuth), std::string(oids::kEkuEmailProtection)})
               .policies({"2.16.886.101.0.3.3", "1.2.3.4"})
               .ocsp_urls({"http://127.0.0.1:8080/ocsp/moica"})
               .ca_issuer_urls({"http://127.0.0.1:8080/repository/moica.cer"})
               .crl_urls({"http://127.0.0.1:8080/crl/moica.crl", "http://127.0.0.1:8080/crl/moica-2.crl"})
               .subject_directory_attributes({.subject_type = std::string(oids::kSubjectTypeGovernmentAgency),
                                              .agency_oid = "2.16.886.101.20003.20065"})
               .sign(ca().cert, ca().key);
  EXPECT_EQ(c.serial_hex(), "102");
  EXPECT_EQ(c.key_usage()->to_string(), "keyEncipherment|dataEncipherment");
  EXPECT_EQ(c.ext_key_usage().size(), 2u);
  EXPECT_EQ(c.policies(), (std::vector<std::string>{"2.16.886.101.0.3.3", "1.2.3.4"}));
  EXPECT_EQ(c.ocsp_urls(), std::vector<std::string>{"http://127.0.0.1:8080/ocsp/moica"});
  EXPECT_EQ(c.ca_issuer_urls(), std::vector<std::string>{"http://127.0.0.1:8080/repository/moica.cer"});
  EXPECT_EQ(c.crl_urls().size(), 2u);
  EXPECT_EQ(c.sda().agency_oid, "2.16.886.101.20003.20065");
  EXPECT_FALSE(c.sda().id_last4);
  EXPECT_EQ(c.not_after() - c.not_before(), 24h);
  EXPECT_EQ(X509_get_version(c.native()), X509_VERSION_3);
}

TEST(CertificateBuilder, RandomSerialsArePositiveAndDistinct) {
  auto a = basic().sign(ca().cert, ca().key);
  auto b = basic().sign(ca().cert, ca().key);
  EXPECT_NE(a.serial_hex(), b.serial_hex());
  EXPECT_NE(a.serial_hex()[0], '-');
  EXPECT_LE(a.serial_hex().size(), 32u);
}

TEST(CertificateBuilder, OmitsUnsetExtensions) {
  auto c = basic().sign(ca().cert, ca().key);
  EXPECT_FALSE(c.key_usage());
  EXPECT_TRUE(c.policies().empty());
  EXPECT_TRUE(c.ocsp_urls().empty());
  EXPECT_TRUE(c.sda().empty());
  EXPECT_FALSE(c.is_ca());
  EXPECT_EQ(X509_get_ext_count(c.native()), 2);  // SKI and AKI only
}

TEST(CertificateBuilder, SelfSignedRootHasMatchingKeyIds) {
  auto key = PrivateKey::generate_rsa(2048);
  auto c = CertificateBuilder()
               .subject(DistinguishedName({{"C", "TW"}, {"O", "行政院"}, {"OU", "政府憑證管理中心"}}))
               .public_key(key.public_key())
               .validity(kPinnedNow, kPinnedNow + 24h)
               .ca()
               .key_usage({.key_cert_sign = true, .crl_sign = true})
               .self_sign(key);
  EXPECT_TRUE(c.self_issued());
  EXPECT_EQ(c.subject_key_id(), c.authority_key_id());
  EXPECT_EQ(X509_verify(c.native(), key.native()), 1);
}

TEST(CertificateBuilder, RefusesIncompleteOrInconsistentInput) {
  expect_invalid([] { CertificateBuilder().sign(ca().cert, ca().key); });
  expect_invalid([] { basic().validity(kPinnedNow, kPinnedNow - 1h).sign(ca().cert, ca().key); });
  expect_invalid([] { basic().sign(ca().cert, leaf_key()); });  // key ≠ issuer
  expect_invalid([] { basic().self_sign(ca().key); });          // key ≠ subject key
  expect_invalid([] { basic().serial(Bytes(21, 1)).sign(ca().cert, ca().key); });
  expect_invalid([] { basic().serial({0}).sign(ca().cert, ca().key); });
  expect_invalid([] { basic().ocsp_urls({"ldap://x"}).sign(ca().cert, ca().key); });
  expect_invalid([] { basic().crl_urls({"http://a b"}).sign(ca().cert, ca().key); });
  expect_invalid([] { basic().policies({"CN"}).sign(ca().cert, ca().key); });
  expect_invalid([] { basic().key_usage({}).sign(ca().cert, ca().key); });
  expect_invalid([] { basic().subject_directory_attributes({.id_last4 = "12"}).sign(ca().cert, ca().key); });
  auto leaf = basic().sign(ca().cert, ca().key);
  expect_invalid([&] { basic().sign(leaf, leaf_key()); });  // issuer not a CA
}

TEST(CertificateBuilder, OcspSignerHasNoCheckAndEku) {
  auto signer = testing::make_ocsp_signer(ca());
  EXPECT_EQ(signer.cert.ext_key_usage(), std::vector<std::string>{std::string(oids::kEkuOcspSigning)});
  EXPECT_GE(X509_get_ext_by_NID(signer.cert.native(), NID_id_pkix_OCSP_noCheck, -1), 0);
}

}  // namespace
}  // namespace ecpa::crypto
