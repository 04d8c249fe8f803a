#include "ecpa/crypto/cms_sign.hpp"

#include <gtest/gtest.h>

#include <openssl/cms.h>
#include <algorithm>
#include <fstream>

#include "ecpa/crypto/error.hpp"
#include "ecpa/crypto/oids.hpp"
#include "ecpa/crypto/testing/files.hpp"
#include "ecpa/crypto/testing/test_pki.hpp"

namespace ecpa::crypto {
namespace {

using testing::kPinnedNow;

const testing::CitizenPki& pki() { return testing::shared_pki(); }

const std::string kTbs = "ecpa-login-v1\norigin=https://portal.example\npurpose=login\nnonce=abc";

// Verifies with libcrypto against the test root and returns the attached content.
std::string verify_with_libcrypto(const Bytes& der) {
  const unsigned char* p = der.data();
  CmsPtr cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(der.size())));
  EXPECT_TRUE(cms);
  if (!cms) return {};
  X509StorePtr store(X509_STORE_new());
  // CMS_verify builds the chain from the store and the certificates inside the message only.
  X509_STORE_add_cert(store.get(), pki().root.cert.native());
  X509_STORE_add_cert(store.get(), pki().ca.cert.native());
  X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(store.get()), to_unix_seconds(kPinnedNow));
  auto out = memory_bio();
  int rc = CMS_verify(cms.get(), nullptr, store.get(), nullptr, out.get(), CMS_BINARY);
  EXPECT_EQ(rc, 1) << drain_openssl_errors();
  char* data = nullptr;
  long n = BIO_get_mem_data(out.get(), &data);
  return n > 0 ? std::string(data, static_cast<std::size_t>(n)) : std::string();
}

TEST(CmsSign, VerifiesWithLibcryptoForEveryDigest) {
  for (auto alg :
       {DigestAlgorithm::Sha1, DigestAlgorithm::Sha256, DigestAlgorithm::Sha384, DigestAlgorithm::Sha512}) {
    auto der = cms_sign_attached(as_bytes(kTbs), pki().leaf.cert, software_signer(pki().leaf.key),
                                 testing::hipki_sign_options(alg));
    EXPECT_EQ(verify_with_libcrypto(der), kTbs) << digest_name(alg);
  }
}

TEST(CmsSign, CarriesTheHipkiAttributesAndCertificate) {
  auto der = cms_sign_attached(as_bytes(kTbs), pki().leaf.cert, software_signer(pki().leaf.key),
                               testing::hipki_sign_options());
  const unsigned char* p = der.data();
  CmsPtr cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(der.size())));
  ASSERT_TRUE(cms);
  EXPECT_EQ(OBJ_obj2nid(CMS_get0_eContentType(cms.get())), NID_pkcs7_data);
  auto* infos = CMS_get0_SignerInfos(cms.get());
  ASSERT_EQ(sk_CMS_SignerInfo_num(infos), 1);
  CMS_SignerInfo* si = sk_CMS_SignerInfo_value(infos, 0);
  EXPECT_EQ(CMS_SignerInfo_cert_cmp(si, pki().leaf.cert.native()), 0);  // issuerAndSerialNumber
  ASN1_OCTET_STRING* keyid = nullptr;
  EXPECT_EQ(CMS_SignerInfo_get0_signer_id(si, &keyid, nullptr, nullptr), 1);
  EXPECT_EQ(keyid, nullptr);
  for (int nid : {NID_pkcs9_contentType, NID_pkcs9_signingTime, NID_pkcs9_messageDigest}) {
    EXPECT_GE(CMS_signed_get_attr_by_NID(si, nid, -1), 0) << nid;
  }
  auto nonce_obj = Asn1ObjectPtr(OBJ_txt2obj(std::string(oids::kPkcs9Nonce).c_str(), 1));
  auto sn_obj = Asn1ObjectPtr(OBJ_txt2obj(std::string(oids::kCardSerialNumber).c_str(), 1));
  auto* sn =
      static_cast<ASN1_STRING*>(CMS_signed_get0_data_by_OBJ(si, sn_obj.get(), -3, V_ASN1_PRINTABLESTRING));
  ASSERT_NE(sn, nullptr);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(sn)), 16), "TP03200302000536");
  auto* nonce =
      static_cast<ASN1_STRING*>(CMS_signed_get0_data_by_OBJ(si, nonce_obj.get(), -3, V_ASN1_OCTET_STRING));
  ASSERT_NE(nonce, nullptr);
  EXPECT_EQ(ASN1_STRING_length(nonce), 5);
  auto* t = static_cast<ASN1_TIME*>(
      CMS_signed_get0_data_by_OBJ(si, OBJ_nid2obj(NID_pkcs9_signingTime), -3, V_ASN1_UTCTIME));
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(from_asn1_time(t), kPinnedNow);
  STACK_OF(X509)* certs = CMS_get1_certs(cms.get());
  ASSERT_EQ(sk_X509_num(certs), 1);
  EXPECT_EQ(X509_cmp(sk_X509_value(certs, 0), pki().leaf.cert.native()), 0);
  sk_X509_pop_free(certs, X509_free);
}

TEST(CmsSign, OptionalAttributesAreLeftOut) {
  CmsSignOptions o;
  o.signing_time = kPinnedNow;
  o.extra_certs = {pki().ca.cert};
  auto der = cms_sign_attached(as_bytes(kTbs), pki().leaf.cert, software_signer(pki().leaf.key), o);
  EXPECT_EQ(verify_with_libcrypto(der), kTbs);
  const unsigned char* p = der.data();
  CmsPtr cms(d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(der.size())));
  CMS_SignerInfo* si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms.get()), 0);
  EXPECT_EQ(CMS_signed_get_attr_count(si), 3);
  STACK_OF(X509)* certs = CMS_get1_certs(cms.get());
  EXPECT_EQ(sk_X509_num(certs), 2);
  sk_X509_pop_free(certs, X509_free);
}

TEST(CmsSign, OpensslCliVerifies) {
  testing::TempDir dir;
  auto der = cms_sign_attached(as_bytes(kTbs), pki().leaf.cert, software_signer(pki().leaf.key),
                               testing::hipki_sign_options());
  auto sig = dir.write("sig.der", der);
  auto chain = dir.write("chain.pem", pki().root.cert.pem() + pki().ca.cert.pem());
  auto out = dir.path() / "content.txt";
  auto r = testing::run_command("openssl cms -verify -binary -inform DER -in " + sig.string() + " -CAfile " +
                                chain.string() + " -attime " + std::to_string(to_unix_seconds(kPinnedNow)) +
                                " -out " + out.string());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("Verification successful"), std::string::npos) << r.output;
  std::ifstream in(out, std::ios::binary);
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, kTbs);
  // A changed byte in the content must fail the same check.
  auto bad = der;
  auto pos = std::search(bad.begin(), bad.end(), kTbs.begin(), kTbs.end());
  ASSERT_NE(pos, bad.end());
  *pos ^= 1;
  auto bad_file = dir.write("bad.der", bad);
  auto r2 = testing::run_command("openssl cms -verify -binary -inform DER -in " + bad_file.string() +
                                 " -CAfile " + chain.string() + " -attime " +
                                 std::to_string(to_unix_seconds(kPinnedNow)) + " -out /dev/null");
  EXPECT_NE(r2.exit_code, 0) << r2.output;
}

TEST(CmsSign, WrongKeyOrGarbageSignatureIsRefused) {
  auto other = PrivateKey::generate_rsa(2048);
  EXPECT_THROW(cms_sign_attached(as_bytes(kTbs), pki().leaf.cert, software_signer(other),
                                 testing::hipki_sign_options()),
               Error);
  auto garbage = [](DigestAlgorithm, ByteView) { return Bytes(256, 0x42); };
  EXPECT_THROW(cms_sign_attached(as_bytes(kTbs), pki().leaf.cert, garbage, testing::hipki_sign_options()),
               Error);
}

TEST(CmsSign, CallbackErrorsPassThrough) {
  auto locked = [](DigestAlgorithm, ByteView) -> Bytes {
    throw Error(codes::INTERNAL_ERROR, "card removed");
  };
  try {
    cms_sign_attached(as_bytes(kTbs), pki().leaf.cert, locked, testing::hipki_sign_options());
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), codes::INTERNAL_ERROR);
    EXPECT_EQ(e.cause(), "card removed");
  }
}

TEST(CmsSign, CallbackSeesTheSignedAttributesAndDigest) {
  DigestAlgorithm seen = DigestAlgorithm::Sha1;
  Bytes seen_bytes;
  auto spy = [&](DigestAlgorithm alg, ByteView data) {
    seen = alg;
    seen_bytes.assign(data.begin(), data.end());
    return pki().leaf.key.sign(alg, data);
  };
  cms_sign_attached(as_bytes(kTbs), pki().leaf.cert, spy,
                    testing::hipki_sign_options(DigestAlgorithm::Sha384));
  EXPECT_EQ(seen, DigestAlgorithm::Sha384);
  ASSERT_FALSE(seen_bytes.empty());
  EXPECT_EQ(seen_bytes[0], 0x31);  // SET OF, per RFC 5652 §5.4
}

TEST(CmsSign, RejectsBadCardSerial) {
  auto o = testing::hipki_sign_options();
  o.card_serial = "TP03 2003";
  EXPECT_THROW(cms_sign_attached(as_bytes(kTbs), pki().leaf.cert, software_signer(pki().leaf.key), o), Error);
}

TEST(CmsSign, EmptyContentSigns) {
  auto der =
      cms_sign_attached({}, pki().leaf.cert, software_signer(pki().leaf.key), testing::hipki_sign_options());
  EXPECT_EQ(verify_with_libcrypto(der), "");
}

}  // namespace
}  // namespace ecpa::crypto
