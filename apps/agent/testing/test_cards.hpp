#pragma once
// Test support: citizen-card-shaped tokens in a PKCS#11 module (the cardmod simulator over SoftHSM2),
// with a signing key pair + certificate under CKA_ID "SIGN" and an encryption pair under "KEYX",
// certificates issued by a throw-away GPKI-shaped CA made for the test run.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "card_service.hpp"
#include "ecpa/crypto/certificate_builder.hpp"
#include "ecpa/crypto/oids.hpp"
#include "ecpa/crypto/testing/test_pki.hpp"
#include "ecpa/p11/module.hpp"
#include "ecpa/p11/session.hpp"
#include "ecpa/p11/testing/card.hpp"

namespace ecpa::agent::testing {

using namespace std::chrono_literals;
inline constexpr auto kDay = std::chrono::hours(24);

struct TestCa {
  crypto::testing::KeyAndCert root = crypto::testing::make_root("GRCA Test Root");
  crypto::testing::KeyAndCert issuing = crypto::testing::make_issuing_ca(root);

  // Root + issuing CA as one PEM file, for `openssl cms -verify -CAfile`.
  std::filesystem::path write_chain(const std::filesystem::path& dir) const {
    auto path = dir / "ca-chain.pem";
    std::ofstream(path) << root.cert.pem() << issuing.cert.pem();
    return path;
  }
};

struct CardSpec {
  std::string label;
  std::string pin = p11::testing::kUserPin;
  // Validity of the card's certificates, relative to now.
  std::chrono::system_clock::duration valid_from = -30 * kDay;
  std::chrono::system_clock::duration valid_until = 700 * kDay;
  bool signing_key = true;      // generate the SIGN key pair (false: certificate only → key not found)
  bool signing_cert = true;     // import the SIGN certificate (false → certificate not found)
  bool encryption_pair = true;  // KEYX key pair + certificate
  std::string id_last4 = "6789";
};

struct Card {
  CK_SLOT_ID slot = 0;
  std::string serial;
  std::string reader;  // the slot description (set by AgentTestEnv::new_card)
  std::optional<crypto::Certificate> signing_cert;
  std::optional<crypto::Certificate> encryption_cert;
};

inline crypto::Certificate issue(const TestCa& ca, const crypto::PublicKey& key, const CardSpec& spec,
                                 crypto::KeyUsage usage) {
  const auto now = std::chrono::system_clock::now();
  return crypto::CertificateBuilder()
      .subject(
          crypto::DistinguishedName({{"C", "TW"}, {"CN", "王小明"}, {"serialNumber", "0000000112345678"}}))
      .public_key(key)
      .validity(now + spec.valid_from, now + spec.valid_until)
      .key_usage(usage)
      .policies({std::string(crypto::oids::kGpkiClass3Policy)})
      .subject_directory_attributes(
          {.subject_type = std::string(crypto::oids::kSubjectTypeNaturalPerson), .id_last4 = spec.id_last4})
      .sign(ca.issuing.cert, ca.issuing.key);
}

// Makes the card in `module`. A certificate without its key pair gets a fresh software key so the
// certificate is real but the card cannot sign with it.
inline Card make_card(p11::Module& module, const TestCa& ca, const CardSpec& spec) {
  Card card;
  card.slot = p11::testing::init_card(module, spec.label, spec.pin);
  card.serial = module.token(card.slot).serial;
  p11::Session s = module.open(card.slot, true);
  s.login_user(SecretBuffer::copy_of(spec.pin));
  auto pair = [&](const crypto::Bytes& id, const char* label, bool sign, bool with_key, bool with_cert,
                  crypto::KeyUsage usage) -> std::optional<crypto::Certificate> {
    std::optional<crypto::PublicKey> pub;
    if (with_key) {
      auto rsa =
          s.generate_rsa_key_pair({.id = id, .label = label, .bits = 2048, .sign = sign, .decrypt = !sign});
      pub = crypto::PublicKey::from_rsa(rsa.modulus, rsa.exponent);
    } else {
      pub = crypto::PrivateKey::generate_rsa(2048).public_key();
    }
    if (!with_cert) return std::nullopt;
    crypto::Certificate cert = issue(ca, *pub, spec, usage);
    s.import_certificate(id, label, cert.der(), cert.subject_der());
    return cert;
  };
  card.signing_cert = pair(kSignKeyId, "SIGN", true, spec.signing_key, spec.signing_cert,
                           crypto::KeyUsage{.digital_signature = true});
  if (spec.encryption_pair) {
    card.encryption_cert = pair(kEncryptKeyId, "KEYX", false, true, true,
                                crypto::KeyUsage{.key_encipherment = true, .data_encipherment = true});
  }
  s.logout();
  return card;
}

}  // namespace ecpa::agent::testing
