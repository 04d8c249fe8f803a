#pragma once
#include <optional>
#include <string>
#include <vector>

#include "ecpa/crypto/certificate.hpp"
#include "ecpa/crypto/key.hpp"
#include "ecpa/crypto/name.hpp"
#include "ecpa/crypto/sda.hpp"

namespace ecpa::crypto {

// Builds and signs X.509 v3 certificates (sha256WithRSAEncryption) for the simulator's CAs, cards
// and tests. Every certificate gets a subjectKeyIdentifier (SHA-1 of the public key bits, RFC 5280
// method 1) and, when signed by an issuer, an authorityKeyIdentifier copied from the issuer's SKI
// and an issuer name byte-identical to the issuer's subject, so chains build by both.
// Extensions are written only when set. Criticality: basicConstraints and keyUsage critical; the
// rest not.
class CertificateBuilder {
 public:
  CertificateBuilder& subject(DistinguishedName name);
  CertificateBuilder& public_key(PublicKey key);
  // Unsigned big-endian bytes; default: 16 random bytes with the top bit cleared (positive, ≤ 20 octets).
  CertificateBuilder& serial(Bytes serial);
  CertificateBuilder& validity(TimePoint not_before, TimePoint not_after);
  // basicConstraints cA=TRUE with an optional pathLenConstraint.
  CertificateBuilder& ca(std::optional<int> path_length = std::nullopt);
  CertificateBuilder& key_usage(KeyUsage usage);
  CertificateBuilder& ext_key_usage(std::vector<std::string> oids);
  CertificateBuilder& policies(std::vector<std::string> oids);
  CertificateBuilder& ocsp_urls(std::vector<std::string> urls);
  CertificateBuilder& ca_issuer_urls(std::vector<std::string> urls);
  CertificateBuilder& crl_urls(std::vector<std::string> urls);
  CertificateBuilder& subject_directory_attributes(SubjectDirectoryAttributes sda);
  // Adds id-pkix-ocsp-nocheck (for delegated OCSP responder certificates, RFC 6960 §4.2.2.2.1).
  CertificateBuilder& ocsp_no_check();

  // Signs with the issuer's key. Throws CRYPTO_ARGUMENT_INVALID when something required is missing
  // (subject, public key, validity) or inconsistent (key does not match the issuer certificate).
  Certificate sign(const Certificate& issuer, const PrivateKey& issuer_key) const;
  // Self-signed: issuer = subject, the key signs its own certificate (a root CA).
  Certificate self_sign(const PrivateKey& key) const;

 private:
  Certificate build(const X509_NAME* issuer_name, const Bytes& issuer_ski, const PrivateKey& key) const;

  std::optional<DistinguishedName> subject_;
  std::optional<PublicKey> key_;
  std::optional<Bytes> serial_;
  std::optional<TimePoint> not_before_, not_after_;
  bool ca_ = false;
  std::optional<int> path_len_;
  std::optional<KeyUsage> key_usage_;
  std::vector<std::string> eku_, policies_, ocsp_urls_, ca_issuer_urls_, crl_urls_;
  std::optional<SubjectDirectoryAttributes> sda_;
  bool ocsp_no_check_ = false;
};

}  // namespace ecpa::crypto
