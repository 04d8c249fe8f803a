#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "ecpa/common/clock.hpp"
#include "ecpa/crypto/certificate.hpp"
#include "ecpa/crypto/chain.hpp"
#include "ecpa/pki/fetcher.hpp"
#include "ecpa/pki/login_package.hpp"
#include "ecpa/pki/login_text.hpp"
#include "ecpa/pki/revocation.hpp"
#include "ecpa/pki/trust_config.hpp"

namespace ecpa::pki {

// What a validated certificate login tells the portal.
struct CertificateFacts {
  CertificateKind method = CertificateKind::Citizen;
  std::string issuer_dn;   // "C=TW, O=行政院, OU=內政部憑證管理中心"
  std::string serial_hex;  // the binding key, with issuer_dn
  std::string subject_dn;
  std::string name;                           // subject CN
  std::string subject_serial_number;          // subject serialNumber (MOICA's person identifier, not the ID)
  std::optional<std::string> subject_type{};  // SDA 2.16.886.1.100.2.1
  std::optional<std::string> id_last4{};      // SDA 2.16.886.1.100.2.51
  std::optional<std::string> agency_oid{};    // SDA 2.16.886.1.100.2.102
  std::string card_serial;                    // signed attribute 2.16.886.1.100.2.204, else the cardSN field
  bool card_serial_signed = false;            // true when it came from the signed attribute
  std::optional<crypto::Bytes> nonce_attribute{};  // signed attribute 1.2.840.113549.1.9.25.3
  std::string fingerprint_sha256;
  RevocationResult revocation{};
};

// Validates a certificate login (DESIGN §4.1, issue 5), in this order, stopping at the first failure
// with its own error code:
//  1. algorithms — digest SHA-256/384/512 (SHA-1 only if configured), RSA PKCS#1 v1.5 signature,
//     RSA key ≥ min_rsa_bits, certificate signed with an allowed algorithm: ALGORITHM_NOT_ALLOWED;
//  2. signature with the enclosed certificate's key: SIGNATURE_INVALID; then the signed content is
//     exactly the expected text: TBS_MISMATCH (PKCS1 signs the expected text directly, so there a
//     wrong text is SIGNATURE_INVALID). No network I/O happens before this point, so unsigned junk
//     costs nothing but a parse;
//  3. the certificate — validity with clock skew: CERT_NOT_YET_VALID / CERT_EXPIRED; keyUsage
//     digitalSignature and not a CA: CERT_KEY_USAGE; a configured issuer: CERT_UNTRUSTED; a policy
//     on the issuer's allow-list: CERT_POLICY; issuer kind (and SDA subject type) matches the route:
//     CERT_WRONG_ROUTE;
//  4. a path to the configured anchors through the configured issuer: CERT_UNTRUSTED;
//  5. revocation (RevocationChecker): CERT_REVOKED, CERT_STATUS_UNKNOWN, OCSP_*, CRL_*.
// The card number from the signed attribute must agree with the posted cardSN when both are
// present: PACKAGE_MALFORMED.
// Safe to call from several threads at once.
class LoginValidator {
 public:
  // Throws CONFIG_INVALID for an issuer that is neither an anchor nor an intermediate, or a
  // minimum key size under 2048.
  // `answers`: where good OCSP answers are remembered (see RevocationChecker); null = in this process.
  LoginValidator(TrustConfig config, RevocationFetcher& fetcher, const Clock& clock,
                 GoodAnswerCache* answers = nullptr);

  CertificateFacts validate(const LoginPackage& package, const LoginText& expected, CertificateKind route);
  // With the expected text already rendered (LoginText::to_string()).
  CertificateFacts validate(const LoginPackage& package, std::string_view expected_tbs,
                            CertificateKind route);

  const TrustConfig& config() const { return config_; }
  RevocationChecker& revocation() { return revocation_; }

 private:
  void check_algorithms(const LoginPackage& package) const;
  void check_signature(const LoginPackage& package, std::string_view expected_tbs) const;
  const IssuerSettings& check_certificate(const crypto::Certificate& cert, CertificateKind route,
                                          crypto::TimePoint now) const;

  TrustConfig config_;
  crypto::TrustStore trust_;
  const Clock& clock_;
  RevocationChecker revocation_;
};

}  // namespace ecpa::pki
