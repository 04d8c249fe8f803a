#include "ecpa/pki/validator.hpp"

#include <gtest/gtest.h>

#include "ecpa/common/error.hpp"
#include "ecpa/crypto/testing/expect_error.hpp"
#include "test_support.hpp"

namespace ecpa::pki {
namespace {

using namespace testing;
using namespace std::chrono_literals;

struct ValidatorTest : ::testing::Test {
  const Hierarchy& h = Hierarchy::shared();
  Authority authority{h.moica};
  ManualClock clock{kPinnedNow};
  crypto::Bytes nonce = random_nonce();
  LoginText expected{kOrigin, LoginPurpose::Login, nonce};

  LoginValidator validator(TrustConfig config = default_trust()) {
    return LoginValidator(std::move(config), authority, clock);
  }

  static LoginPackage pkcs7(const KeyAndCert& card, std::string_view content,
                            crypto::DigestAlgorithm d = crypto::DigestAlgorithm::Sha256,
                            std::string_view card_sn_field = "") {
    return LoginPackage::parse(SignatureForm::Pkcs7, sign_pkcs7(card, content, d), "", card_sn_field);
  }

  void expect_code(ErrorCode code, const LoginPackage& p, CertificateKind route = CertificateKind::Citizen,
                   TrustConfig config = default_trust()) {
    auto v = validator(std::move(config));
    crypto::testing::expect_error(code, [&] { v.validate(p, expected, route); });
  }
};

TEST_F(ValidatorTest, ValidCitizenLoginYieldsItsFacts) {
  auto card = make_card(h.moica, {.name = "王小明", .id_last4 = "6789"});
  auto v = validator();
  auto facts = v.validate(pkcs7(card, expected.to_string()), expected, CertificateKind::Citizen);
  EXPECT_EQ(facts.method, CertificateKind::Citizen);
  EXPECT_EQ(facts.issuer_dn, "C=TW, O=行政院, OU=內政部憑證管理中心");
  EXPECT_EQ(facts.serial_hex, card.cert.serial_hex());
  EXPECT_EQ(facts.name, "王小明");
  EXPECT_EQ(facts.subject_serial_number, "0000000112345678");
  EXPECT_EQ(facts.id_last4, "6789");
  EXPECT_EQ(facts.subject_type, std::string(crypto::oids::kSubjectTypeNaturalPerson));
  EXPECT_FALSE(facts.agency_oid);
  EXPECT_EQ(facts.card_serial, "TP03200302000536");
  EXPECT_TRUE(facts.card_serial_signed);
  EXPECT_EQ(facts.nonce_attribute, crypto::to_bytes("hipki-nonce"));
  EXPECT_EQ(facts.fingerprint_sha256, card.cert.fingerprint_sha256());
  EXPECT_EQ(facts.revocation.source, RevocationSource::Ocsp);
  EXPECT_EQ(authority.ocsp_calls, 1);
}

TEST_F(ValidatorTest, AgencyCardOnTheAgencyRoute) {
  Authority gca_authority(h.gca);
  auto card = make_card(h.gca, {.kind = CertificateKind::Agency});
  LoginValidator v(default_trust(), gca_authority, clock);
  auto facts = v.validate(pkcs7(card, expected.to_string()), expected, CertificateKind::Agency);
  EXPECT_EQ(facts.method, CertificateKind::Agency);
  EXPECT_EQ(facts.agency_oid, "2.16.886.101.20003.20065.20021");
  EXPECT_FALSE(facts.id_last4);
}

TEST_F(ValidatorTest, WrongRoute) {
  auto gca_card = make_card(h.gca, {.kind = CertificateKind::Agency});
  expect_code(codes::CERT_WRONG_ROUTE, pkcs7(gca_card, expected.to_string()), CertificateKind::Citizen);
  auto citizen = make_card(h.moica);
  expect_code(codes::CERT_WRONG_ROUTE, pkcs7(citizen, expected.to_string()), CertificateKind::Agency);
  // An organisation's card from an issuer mis-filed as citizen is still refused by its subject type.
  auto config = default_trust();
  config.issuers[1].kind = CertificateKind::Citizen;
  expect_code(codes::CERT_WRONG_ROUTE, pkcs7(gca_card, expected.to_string()), CertificateKind::Citizen,
              config);
  EXPECT_EQ(authority.ocsp_calls, 0);
}

TEST_F(ValidatorTest, Pkcs1Login) {
  auto card = make_card(h.moica);
  auto sign = [&](std::string_view text) {
    return LoginPackage::parse(
        SignatureForm::Pkcs1,
        crypto::to_base64(card.key.sign(crypto::DigestAlgorithm::Sha256, crypto::as_bytes(text))),
        crypto::to_base64(card.cert.der()), "TP03200302000536");
  };
  auto facts = validator().validate(sign(expected.to_string()), expected, CertificateKind::Citizen);
  EXPECT_EQ(facts.card_serial, "TP03200302000536");
  EXPECT_FALSE(facts.card_serial_signed);
  auto other = LoginText{kOrigin, LoginPurpose::Login, random_nonce()}.to_string();
  expect_code(codes::SIGNATURE_INVALID, sign(other));
}

TEST_F(ValidatorTest, TamperedSignatureIsRefusedWithoutNetwork) {
  auto card = make_card(h.moica);
  auto der = crypto::from_base64(sign_pkcs7(card, expected.to_string()));
  der[der.size() - 5] ^= 0x20;  // inside the signature value
  expect_code(codes::SIGNATURE_INVALID, LoginPackage::parse_der(SignatureForm::Pkcs7, der, {}, ""));
  EXPECT_EQ(authority.ocsp_calls, 0);
}

TEST_F(ValidatorTest, TamperedContentIsRefused) {
  auto card = make_card(h.moica);
  auto tbs = expected.to_string();
  auto der = crypto::from_base64(sign_pkcs7(card, tbs));
  auto pos = std::search(der.begin(), der.end(), tbs.begin(), tbs.end());
  ASSERT_NE(pos, der.end());
  *(pos + 30) ^= 0x01;
  expect_code(codes::SIGNATURE_INVALID, LoginPackage::parse_der(SignatureForm::Pkcs7, der, {}, ""));
}

TEST_F(ValidatorTest, SignatureComesBeforeEveryOtherCheck) {
  // An expired card from an untrusted CA with a bad signature: the signature is what is reported.
  auto card = make_card(h.stranger_ca, {.ends = -24h});
  auto der = crypto::from_base64(sign_pkcs7(card, expected.to_string()));
  der[der.size() - 5] ^= 0x20;
  expect_code(codes::SIGNATURE_INVALID, LoginPackage::parse_der(SignatureForm::Pkcs7, der, {}, ""));
}

TEST_F(ValidatorTest, TbsMismatch) {
  auto card = make_card(h.moica);
  auto other_nonce = LoginText{kOrigin, LoginPurpose::Login, random_nonce()};
  expect_code(codes::TBS_MISMATCH, pkcs7(card, other_nonce.to_string()));
  auto bind = LoginText{kOrigin, LoginPurpose::Bind, nonce};
  expect_code(codes::TBS_MISMATCH, pkcs7(card, bind.to_string()));
  auto other_site = LoginText{"https://evil.example", LoginPurpose::Login, nonce};
  expect_code(codes::TBS_MISMATCH, pkcs7(card, other_site.to_string()));
  EXPECT_EQ(authority.ocsp_calls, 0);
}

TEST_F(ValidatorTest, Sha1IsRefusedByDefault) {
  auto card = make_card(h.moica);
  auto p = pkcs7(card, expected.to_string(), crypto::DigestAlgorithm::Sha1);
  expect_code(codes::ALGORITHM_NOT_ALLOWED, p);
  auto config = default_trust();
  config.allow_sha1 = true;
  EXPECT_NO_THROW(validator(config).validate(p, expected, CertificateKind::Citizen));
  EXPECT_NO_THROW(validator().validate(pkcs7(card, expected.to_string(), crypto::DigestAlgorithm::Sha512),
                                       expected, CertificateKind::Citizen));
}

TEST_F(ValidatorTest, KeySizeFloor) {
  auto card = make_card(h.moica);
  auto config = default_trust();
  config.min_rsa_bits = 3072;
  expect_code(codes::ALGORITHM_NOT_ALLOWED, pkcs7(card, expected.to_string()), CertificateKind::Citizen,
              config);
  config.min_rsa_bits = 1024;
  EXPECT_THROW(validator(config), Error);
}

TEST_F(ValidatorTest, ValidityWindowWithSkew) {
  expect_code(codes::CERT_EXPIRED, pkcs7(make_card(h.moica, {.ends = -10min}), expected.to_string()));
  expect_code(codes::CERT_NOT_YET_VALID, pkcs7(make_card(h.moica, {.starts = 10min}), expected.to_string()));
  // Within the 5-minute allowance both pass.
  EXPECT_NO_THROW(validator().validate(pkcs7(make_card(h.moica, {.ends = -4min}), expected.to_string()),
                                       expected, CertificateKind::Citizen));
  EXPECT_NO_THROW(validator().validate(pkcs7(make_card(h.moica, {.starts = 4min}), expected.to_string()),
                                       expected, CertificateKind::Citizen));
}

TEST_F(ValidatorTest, KeyUsageMustAllowSigning) {
  auto keyx = make_card(h.moica, {.key_usage = {.key_encipherment = true, .data_encipherment = true}});
  expect_code(codes::CERT_KEY_USAGE, pkcs7(keyx, expected.to_string()));
}

TEST_F(ValidatorTest, PolicyAllowList) {
  auto card = make_card(h.moica, {.policies = {"2.16.886.101.0.3.1"}});
  expect_code(codes::CERT_POLICY, pkcs7(card, expected.to_string()));
  auto config = default_trust();
  config.issuers[0].policies.push_back("2.16.886.101.0.3.1");
  EXPECT_NO_THROW(
      validator(config).validate(pkcs7(card, expected.to_string()), expected, CertificateKind::Citizen));
}

TEST_F(ValidatorTest, UntrustedIssuer) {
  // Same issuer name as MOICA, another key (and hierarchy).
  expect_code(codes::CERT_UNTRUSTED, pkcs7(make_card(h.stranger_ca), expected.to_string()));
  // Issuer configured, but the anchor it chains to is not.
  auto config = default_trust();
  config.anchors = {h.stranger_root.cert};
  expect_code(codes::CERT_UNTRUSTED, pkcs7(make_card(h.moica), expected.to_string()),
              CertificateKind::Citizen, config);
  EXPECT_EQ(authority.ocsp_calls, 0);
}

TEST_F(ValidatorTest, IssuerMustBeInTheTrustStore) {
  auto config = default_trust();
  config.intermediates = {h.moica.cert};  // GCA configured as an issuer but not listed
  EXPECT_THROW(validator(config), Error);
}

TEST_F(ValidatorTest, RevokedCard) {
  auto card = make_card(h.moica);
  authority.revoked = {card.cert.serial_hex()};
  expect_code(codes::CERT_REVOKED, pkcs7(card, expected.to_string()));
}

TEST_F(ValidatorTest, OcspFaultsSurfaceWithTheirCodes) {
  auto card = make_card(h.moica);
  auto p = pkcs7(card, expected.to_string());
  authority.unknown = {card.cert.serial_hex()};
  expect_code(codes::CERT_STATUS_UNKNOWN, p);
  authority.unknown.clear();
  authority.signer = Authority::Signer::Undelegated;
  expect_code(codes::OCSP_RESPONDER_UNAUTHORISED, p);
  authority.signer = Authority::Signer::Issuer;
  authority.nonce = Authority::Nonce::Omit;
  expect_code(codes::OCSP_NONCE_MISMATCH, p);
  authority.nonce = Authority::Nonce::Echo;
  authority.this_update_offset = 1h;
  expect_code(codes::OCSP_STALE, p);
}

TEST_F(ValidatorTest, CardSerialFieldMustAgreeWithTheSignedOne) {
  auto card = make_card(h.moica);
  auto p = pkcs7(card, expected.to_string(), crypto::DigestAlgorithm::Sha256, "TP99999999999999");
  expect_code(codes::PACKAGE_MALFORMED, p);
  auto unsigned_sn = LoginPackage::parse(
      SignatureForm::Pkcs7,
      sign_pkcs7(card, expected.to_string(), crypto::DigestAlgorithm::Sha256, std::nullopt), "",
      "TP03200302000536");
  auto facts = validator().validate(unsigned_sn, expected, CertificateKind::Citizen);
  EXPECT_EQ(facts.card_serial, "TP03200302000536");
  EXPECT_FALSE(facts.card_serial_signed);
}

TEST_F(ValidatorTest, ConcurrentValidationsShareTheCache) {
  auto card = make_card(h.moica);
  auto v = validator();
  auto tbs = expected.to_string();
  auto b64 = sign_pkcs7(card, tbs);
  v.validate(LoginPackage::parse(SignatureForm::Pkcs7, b64, "", ""), tbs, CertificateKind::Citizen);
  std::vector<std::thread> threads;
  threads.reserve(4);
  std::atomic<int> ok{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        auto facts =
            v.validate(LoginPackage::parse(SignatureForm::Pkcs7, b64, "", ""), tbs, CertificateKind::Citizen);
        if (facts.revocation.source == RevocationSource::OcspCached) ++ok;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok, 80);
  EXPECT_EQ(authority.ocsp_calls, 1);
}

}  // namespace
}  // namespace ecpa::pki
