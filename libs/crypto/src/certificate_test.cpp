#include "ecpa/crypto/certificate.hpp"

#include <gtest/gtest.h>

#include "ecpa/crypto/oids.hpp"
#include "ecpa/crypto/testing/expect_error.hpp"
#include "ecpa/crypto/testing/test_pki.hpp"

namespace ecpa::crypto {
namespace {

const testing::CitizenPki& pki() { return testing::shared_pki(); }

void expect_malformed(auto&& fn) { testing::expect_error(codes::CERT_MALFORMED, fn); }

TEST(Certificate, ReadsEveryField) {
  const auto& c = pki().leaf.cert;
  EXPECT_EQ(c.subject().to_string(), "C=TW, CN=王小明, serialNumber=0000000112345678");
  EXPECT_EQ(c.issuer().to_string(), "C=TW, O=行政院, OU=內政部憑證管理中心");
  EXPECT_EQ(c.issuer_der(), pki().ca.cert.subject_der());
  EXPECT_EQ(c.serial_hex().size() <= 32, true);
  EXPECT_EQ(c.not_before(), testing::kPinnedNow - std::chrono::hours(24 * 30));
  ASSERT_TRUE(c.key_usage());
  EXPECT_EQ(c.key_usage()->to_string(), "digitalSignature");
  EXPECT_EQ(c.policies(), std::vector<std::string>{std::string(oids::kGpkiClass3Policy)});
  EXPECT_EQ(c.ocsp_urls(), std::vector<std::string>{"http://127.0.0.1:1/ocsp"});
  EXPECT_EQ(c.crl_urls(), std::vector<std::string>{"http://127.0.0.1:1/crl/moica.crl"});
  EXPECT_EQ(c.authority_key_id(), pki().ca.cert.subject_key_id());
  EXPECT_EQ(c.subject_key_id().size(), 20u);
  EXPECT_FALSE(c.is_ca());
  EXPECT_EQ(c.sda().subject_type, std::string(oids::kSubjectTypeNaturalPerson));
  EXPECT_EQ(c.sda().id_last4, "6789");
  EXPECT_EQ(c.signature_algorithm(), "1.2.840.113549.1.1.11");
  EXPECT_TRUE(c.valid_at(testing::kPinnedNow));
  EXPECT_FALSE(c.valid_at(testing::kPinnedNow + std::chrono::hours(24 * 800)));
  EXPECT_TRUE(c.public_key() == pki().leaf.key.public_key());
  EXPECT_EQ(c.fingerprint_sha256().size(), 64u);
}

TEST(Certificate, CaFields) {
  const auto& c = pki().ca.cert;
  EXPECT_TRUE(c.is_ca());
  EXPECT_EQ(c.path_length(), 0);
  EXPECT_EQ(c.key_usage()->to_string(), "keyCertSign|cRLSign");
  EXPECT_TRUE(pki().root.cert.self_issued());
  EXPECT_FALSE(c.self_issued());
}

TEST(Certificate, DerAndPemRoundTrip) {
  const auto& c = pki().leaf.cert;
  EXPECT_EQ(Certificate::from_der(c.der()), c);
  EXPECT_EQ(Certificate::from_pem(c.pem()), c);
  auto all = Certificate::all_from_pem(c.pem() + pki().ca.cert.pem());
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1], pki().ca.cert);
  EXPECT_EQ(Certificate::from_native(c.native()), c);
}

TEST(Certificate, BadInputIsCertMalformed) {
  auto der = pki().leaf.cert.der();
  expect_malformed([] { Certificate::from_der(Bytes{}); });
  expect_malformed([] { Certificate::from_der(Bytes{0x30, 0x03, 0x02, 0x01, 0x01}); });
  expect_malformed([&] {
    auto d = der;
    d.push_back(0);
    Certificate::from_der(d);
  });
  expect_malformed([&] { Certificate::from_der(ByteView(der).first(der.size() - 1)); });
  expect_malformed([] { Certificate::from_pem("no pem here"); });
  expect_malformed([] { Certificate::all_from_pem(""); });
}

TEST(Certificate, EveryTruncationFailsCleanly) {
  auto der = pki().leaf.cert.der();
  for (std::size_t n = 0; n < der.size(); n += 7) {
    EXPECT_THROW(Certificate::from_der(ByteView(der).first(n)), Error) << n;
  }
}

TEST(Certificate, BitFlipsNeverCrash) {
  auto der = pki().leaf.cert.der();
  for (std::size_t i = 0; i < der.size(); i += 3) {
    auto d = der;
    d[i] ^= 0x5a;
    try {
      auto c = Certificate::from_der(d);
      (void)c.subject().to_string();
    } catch (const Error& e) {
      EXPECT_TRUE(e.code() == codes::CERT_MALFORMED || e.code() == codes::KEY_INVALID) << e.what();
    }
  }
}

TEST(Certificate, SerialHexHelpers) {
  auto i = serial_from_hex("00ABcd");
  EXPECT_EQ(serial_to_hex(i.get()), "abcd");
  EXPECT_THROW(serial_from_hex(""), Error);
  EXPECT_THROW(serial_from_hex("-1"), Error);
  EXPECT_THROW(serial_from_hex("xyz"), Error);
  Asn1IntegerPtr zero(ASN1_INTEGER_new());
  ASN1_INTEGER_set(zero.get(), 0);
  EXPECT_EQ(serial_to_hex(zero.get()), "0");
}

TEST(Certificate, ChainsVerifyWithOpenSsl) {
  X509StorePtr store(X509_STORE_new());
  X509_STORE_add_cert(store.get(), pki().root.cert.native());
  X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  STACK_OF(X509)* untrusted = sk_X509_new_null();
  sk_X509_push(untrusted, pki().ca.cert.native());
  X509_STORE_CTX_init(ctx.get(), store.get(), pki().leaf.cert.native(), untrusted);
  X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx.get()), to_unix_seconds(testing::kPinnedNow));
  EXPECT_EQ(X509_verify_cert(ctx.get()), 1)
      << X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
  sk_X509_free(untrusted);
}

}  // namespace
}  // namespace ecpa::crypto
