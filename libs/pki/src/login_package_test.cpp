#include "ecpa/pki/login_package.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "ecpa/common/error.hpp"
#include "ecpa/common/secret.hpp"
#include "ecpa/crypto/testing/expect_error.hpp"
#include "ecpa/crypto/testing/files.hpp"
#include "test_support.hpp"

namespace ecpa::pki {
namespace {

using namespace testing;

void expect_code(ErrorCode code, const std::function<void()>& f) { crypto::testing::expect_error(code, f); }

struct PackageTest : ::testing::Test {
  const Hierarchy& h = Hierarchy::shared();
  KeyAndCert card = make_card(h.moica);
  std::string tbs = login_tbs(random_nonce());
};

TEST_F(PackageTest, ReadsAPkcs7Answer) {
  auto p = LoginPackage::parse(SignatureForm::Pkcs7, sign_pkcs7(card, tbs), "", "TP03200302000536");
  EXPECT_EQ(p.form(), SignatureForm::Pkcs7);
  EXPECT_EQ(p.signer(), card.cert);
  ASSERT_TRUE(p.cms());
  EXPECT_EQ(crypto::as_chars(p.cms()->content()), tbs);
  EXPECT_EQ(p.digest(), crypto::DigestAlgorithm::Sha256);
  EXPECT_EQ(p.card_serial_field(), "TP03200302000536");
}

TEST_F(PackageTest, Pkcs7WithCertb64MustNameTheSigner) {
  auto sig = sign_pkcs7(card, tbs);
  EXPECT_NO_THROW(LoginPackage::parse(SignatureForm::Pkcs7, sig, crypto::to_base64(card.cert.der()), ""));
  auto other = make_card(h.moica, {.name = "李大華"});
  expect_code(codes::PACKAGE_MALFORMED, [&] {
    LoginPackage::parse(SignatureForm::Pkcs7, sig, crypto::to_base64(other.cert.der()), "");
  });
}

TEST_F(PackageTest, ReadsAPkcs1Answer) {
  auto raw = card.key.sign(crypto::DigestAlgorithm::Sha256, crypto::as_bytes(tbs));
  auto p = LoginPackage::parse(SignatureForm::Pkcs1, crypto::to_base64(raw),
                               crypto::to_base64(card.cert.der()), "");
  EXPECT_EQ(p.form(), SignatureForm::Pkcs1);
  EXPECT_EQ(p.raw_signature(), raw);
  EXPECT_FALSE(p.cms());
}

TEST_F(PackageTest, Pkcs1NeedsTheCertificate) {
  auto raw = card.key.sign(crypto::DigestAlgorithm::Sha256, crypto::as_bytes(tbs));
  expect_code(codes::PACKAGE_MALFORMED,
              [&] { LoginPackage::parse(SignatureForm::Pkcs1, crypto::to_base64(raw), "", ""); });
  expect_code(codes::PACKAGE_MALFORMED, [&] {
    LoginPackage::parse(SignatureForm::Pkcs1, crypto::to_base64(crypto::Bytes(10, 1)),
                        crypto::to_base64(card.cert.der()), "");
  });
}

TEST_F(PackageTest, RefusesOversizedInputBeforeDecoding) {
  std::string huge(40000, 'A');
  expect_code(codes::PACKAGE_TOO_LARGE, [&] { LoginPackage::parse(SignatureForm::Pkcs7, huge, "", ""); });
  expect_code(codes::PACKAGE_TOO_LARGE, [&] {
    LoginPackage::parse(SignatureForm::Pkcs7, sign_pkcs7(card, tbs), std::string(20000, 'A'), "");
  });
  expect_code(codes::PACKAGE_TOO_LARGE, [&] {
    LoginPackage::parse(SignatureForm::Pkcs7, sign_pkcs7(card, tbs), "", std::string(40, 'A'));
  });
  // The limit is configurable and applies to the decoded bytes too.
  expect_code(codes::PACKAGE_TOO_LARGE, [&] {
    LoginPackage::parse(SignatureForm::Pkcs7, sign_pkcs7(card, tbs), "", "", crypto::DigestAlgorithm::Sha256,
                        PackageLimits{.max_signature_bytes = 1000});
  });
}

TEST_F(PackageTest, RefusesMalformedInput) {
  for (const std::string& bad :
       std::vector<std::string>{"", "!!!!", "AAAA", "MAA=", crypto::to_base64(card.cert.der())}) {
    expect_code(codes::PACKAGE_MALFORMED, [&] { LoginPackage::parse(SignatureForm::Pkcs7, bad, "", ""); });
  }
  expect_code(codes::PACKAGE_MALFORMED, [&] {
    LoginPackage::parse(SignatureForm::Pkcs7, sign_pkcs7(card, tbs), "", "TP0320<script>");
  });
}

TEST_F(PackageTest, RefusesTrailingBytesAndBer) {
  auto der = crypto::from_base64(sign_pkcs7(card, tbs));
  auto longer = der;
  longer.push_back(0);
  expect_code(codes::PACKAGE_MALFORMED,
              [&] { LoginPackage::parse_der(SignatureForm::Pkcs7, longer, {}, ""); });
  // A BER (non-minimal) length on a PKCS1 certificate.
  const auto& cert = card.cert.der();
  ASSERT_EQ(cert[1], 0x82);
  // Same bytes with the length re-encoded in 3 octets (0x83 00 hi lo). Built by copy rather than
  // insert: g++ 12 at -O2 reports a bogus -Warray-bounds on insert into a 5-element vector.
  crypto::Bytes ber(cert.size() + 1);
  ber[0] = 0x30;
  ber[1] = 0x83;
  ber[2] = 0x00;
  std::copy(cert.begin() + 2, cert.end(), ber.begin() + 3);
  auto raw = card.key.sign(crypto::DigestAlgorithm::Sha256, crypto::as_bytes(tbs));
  expect_code(codes::PACKAGE_MALFORMED, [&] { LoginPackage::parse_der(SignatureForm::Pkcs1, raw, ber, ""); });
}

TEST_F(PackageTest, ReadsWhatAnIndependentImplementationSigns) {
  // The openssl CLI's CMS (attached, SHA-256) must pass the strict reader and verify.
  crypto::testing::TempDir dir;
  auto key_pem = card.key.pem();
  auto key = dir.write("card.key", key_pem);
  secure_wipe(key_pem);
  auto cert = dir.write("card.pem", card.cert.pem());
  auto in = dir.write("tbs.txt", tbs);
  auto out = dir.path() / "p7.der";
  auto r = crypto::testing::run_command("openssl cms -sign -binary -nodetach -md sha256 -outform DER -in " +
                                        in.string() + " -signer " + cert.string() + " -inkey " +
                                        key.string() + " -out " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::ifstream f(out, std::ios::binary);
  crypto::Bytes der((std::istreambuf_iterator<char>(f)), {});
  auto p = LoginPackage::parse_der(SignatureForm::Pkcs7, der, {}, "");
  EXPECT_EQ(crypto::as_chars(p.cms()->content()), tbs);
  EXPECT_EQ(p.signer(), card.cert);
  EXPECT_TRUE(p.cms()->verify());
}

TEST(CardSerial, AcceptsHiCosNumbersOnly) {
  EXPECT_TRUE(is_valid_card_serial("TP03200302000536"));
  EXPECT_FALSE(is_valid_card_serial(""));
  EXPECT_FALSE(is_valid_card_serial("tp03200302000536"));
  EXPECT_FALSE(is_valid_card_serial("TP0320 302000536"));
  EXPECT_FALSE(is_valid_card_serial(std::string(33, 'A')));
}

}  // namespace
}  // namespace ecpa::pki
