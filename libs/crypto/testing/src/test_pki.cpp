#include "ecpa/crypto/testing/test_pki.hpp"

#include "ecpa/crypto/oids.hpp"

namespace ecpa::crypto::testing {

using namespace std::chrono_literals;
constexpr auto kDay = 24h;

KeyAndCert make_root(const std::string& cn, int bits) {
  auto key = PrivateKey::generate_rsa(bits);
  auto cert = CertificateBuilder()
                  .subject(DistinguishedName({{"C", "TW"}, {"O", "Test"}, {"CN", cn}}))
                  .public_key(key.public_key())
                  .validity(kPinnedNow - 365 * kDay, kPinnedNow + 3650 * kDay)
                  .ca()
                  .key_usage({.key_cert_sign = true, .crl_sign = true})
                  .self_sign(key);
  return {std::move(key), std::move(cert)};
}

KeyAndCert make_issuing_ca(const KeyAndCert& parent, const std::string& ou) {
  auto key = PrivateKey::generate_rsa(2048);
  auto cert = CertificateBuilder()
                  .subject(DistinguishedName({{"C", "TW"}, {"O", "行政院"}, {"OU", ou}}))
                  .public_key(key.public_key())
                  .validity(kPinnedNow - 300 * kDay, kPinnedNow + 3000 * kDay)
                  .ca(0)
                  .key_usage({.key_cert_sign = true, .crl_sign = true})
                  .sign(parent.cert, parent.key);
  return {std::move(key), std::move(cert)};
}

KeyAndCert make_ocsp_signer(const KeyAndCert& ca) {
  auto key = PrivateKey::generate_rsa(2048);
  auto subject = ca.cert.subject().components();
  subject.push_back({"CN", "OCSP Responder"});
  auto cert = CertificateBuilder()
                  .subject(DistinguishedName(subject))
                  .public_key(key.public_key())
                  .validity(kPinnedNow - 30 * kDay, kPinnedNow + 365 * kDay)
                  .key_usage({.digital_signature = true})
                  .ext_key_usage({std::string(oids::kEkuOcspSigning)})
                  .ocsp_no_check()
                  .sign(ca.cert, ca.key);
  return {std::move(key), std::move(cert)};
}

KeyAndCert make_citizen(const KeyAndCert& ca, const std::string& name, const std::string& id_last4) {
  auto key = PrivateKey::generate_rsa(2048);
  auto cert =
      CertificateBuilder()
          .subject(DistinguishedName({{"C", "TW"}, {"CN", name}, {"serialNumber", "0000000112345678"}}))
          .public_key(key.public_key())
          .validity(kPinnedNow - 30 * kDay, kPinnedNow + 730 * kDay)
          .key_usage({.digital_signature = true})
          .policies({std::string(oids::kGpkiClass3Policy)})
          .ocsp_urls({"http://127.0.0.1:1/ocsp"})
          .crl_urls({"http://127.0.0.1:1/crl/moica.crl"})
          .subject_directory_attributes(
              {.subject_type = std::string(oids::kSubjectTypeNaturalPerson), .id_last4 = id_last4})
          .sign(ca.cert, ca.key);
  return {std::move(key), std::move(cert)};
}

CitizenPki::CitizenPki(const std::string& root_cn)
    : root(make_root(root_cn)),
      ca(make_issuing_ca(root)),
      signer(make_ocsp_signer(ca)),
      leaf(make_citizen(ca)),
      other(make_citizen(ca, "李大華", "1234")) {}

const CitizenPki& shared_pki() {
  static const CitizenPki pki;
  return pki;
}

CmsSignOptions hipki_sign_options(DigestAlgorithm digest) {
  CmsSignOptions o;
  o.digest = digest;
  o.signing_time = kPinnedNow;
  o.nonce = to_bytes("n0nce");
  o.card_serial = "TP03200302000536";
  return o;
}

}  // namespace ecpa::crypto::testing
