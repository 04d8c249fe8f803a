#pragma once
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ecpa/crypto/bytes.hpp"
#include "ecpa/crypto/handles.hpp"
#include "ecpa/crypto/key.hpp"
#include "ecpa/crypto/name.hpp"
#include "ecpa/crypto/sda.hpp"
#include "ecpa/crypto/time.hpp"

namespace ecpa::crypto {

// keyUsage bits (RFC 5280 §4.2.1.3).
struct KeyUsage {
  bool digital_signature = false;
  bool non_repudiation = false;
  bool key_encipherment = false;
  bool data_encipherment = false;
  bool key_agreement = false;
  bool key_cert_sign = false;
  bool crl_sign = false;

  // The HiPKI component's names joined by '|': "digitalSignature", "keyEncipherment|dataEncipherment".
  std::string to_string() const;
  friend bool operator==(const KeyUsage&, const KeyUsage&) = default;
};

// An X.509 certificate, read once: every field a caller needs is parsed eagerly at construction,
// so a certificate with a malformed extension is rejected up front (CERT_MALFORMED) instead of
// failing, or worse being half-read, later. Copies are cheap and share the immutable X509.
class Certificate {
 public:
  // Exactly one DER certificate: trailing bytes are CERT_MALFORMED (no smuggled data).
  static Certificate from_der(ByteView der);
  // The first certificate of a PEM text. Throws CERT_MALFORMED.
  static Certificate from_pem(std::string_view pem);
  // Every certificate of a PEM bundle, in order (at least one).
  static std::vector<Certificate> all_from_pem(std::string_view pem);
  // Takes a reference on an X509 OpenSSL handed us (from a CMS or OCSP structure).
  static Certificate from_native(X509* cert);

  const Bytes& der() const { return fields_->der; }
  std::string pem() const;

  const DistinguishedName& subject() const { return fields_->subject; }
  const DistinguishedName& issuer() const { return fields_->issuer; }
  const Bytes& subject_der() const { return fields_->subject_der; }
  const Bytes& issuer_der() const { return fields_->issuer_der; }
  // Lowercase hex of the serial's unsigned magnitude without leading zeros ("0" for zero); negative
  // serials (invalid under RFC 5280 but seen in the wild) get a leading '-'.
  const std::string& serial_hex() const { return fields_->serial_hex; }
  TimePoint not_before() const { return fields_->not_before; }
  TimePoint not_after() const { return fields_->not_after; }
  bool valid_at(TimePoint t) const { return not_before() <= t && t <= not_after(); }

  std::optional<KeyUsage> key_usage() const { return fields_->key_usage; }
  const std::vector<std::string>& ext_key_usage() const { return fields_->ext_key_usage; }
  const std::vector<std::string>& policies() const { return fields_->policies; }
  const std::vector<std::string>& ocsp_urls() const { return fields_->ocsp_urls; }
  const std::vector<std::string>& ca_issuer_urls() const { return fields_->ca_issuer_urls; }
  const std::vector<std::string>& crl_urls() const { return fields_->crl_urls; }
  const Bytes& subject_key_id() const { return fields_->ski; }    // empty when absent
  const Bytes& authority_key_id() const { return fields_->aki; }  // keyIdentifier; empty when absent
  bool is_ca() const { return fields_->is_ca; }
  std::optional<int> path_length() const { return fields_->path_len; }
  const SubjectDirectoryAttributes& sda() const { return fields_->sda; }
  // Dotted OIDs of the signature algorithm ("1.2.840.113549.1.1.11" = sha256WithRSAEncryption).
  const std::string& signature_algorithm() const { return fields_->sig_alg; }
  bool self_issued() const { return fields_->subject_der == fields_->issuer_der; }

  PublicKey public_key() const;
  // SHA-256 of the DER, lowercase hex: a stable handle for logs and bindings.
  std::string fingerprint_sha256() const;

  X509* native() const { return x509_.get(); }

  friend bool operator==(const Certificate& a, const Certificate& b) { return a.der() == b.der(); }

 private:
  struct Fields {
    Bytes der, subject_der, issuer_der;
    DistinguishedName subject, issuer;
    std::string serial_hex, sig_alg;
    TimePoint not_before{}, not_after{};
    std::optional<KeyUsage> key_usage;
    std::vector<std::string> ext_key_usage, policies, ocsp_urls, ca_issuer_urls, crl_urls;
    Bytes ski, aki;
    bool is_ca = false;
    std::optional<int> path_len;
    SubjectDirectoryAttributes sda;
  };
  explicit Certificate(X509Ptr x509);
  std::shared_ptr<X509> x509_;
  std::shared_ptr<const Fields> fields_;
};

// Serial number helpers shared by certificates, CRLs and OCSP.
std::string serial_to_hex(const ASN1_INTEGER* serial);
// Accepts the hex form serial_to_hex writes (either case, no sign). Throws CRYPTO_ARGUMENT_INVALID.
Asn1IntegerPtr serial_from_hex(std::string_view hex);

}  // namespace ecpa::crypto
