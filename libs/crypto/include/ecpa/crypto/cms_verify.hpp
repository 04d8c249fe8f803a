#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ecpa/crypto/bytes.hpp"
#include "ecpa/crypto/certificate.hpp"
#include "ecpa/crypto/handles.hpp"
#include "ecpa/crypto/time.hpp"

namespace ecpa::crypto {

// A CMS SignedData (RFC 5652) with attached content and exactly one signer, as the HiPKI component
// returns for signatureType PKCS7. Parsing reads the structure only; verify() checks the signature.
// The reading is strict because the login decision rests on it: anything a second parser could read
// differently (BER lengths, unsorted SETs, trailing bytes) is refused instead of normalised.
class CmsSignedData {
 public:
  // Throws CMS_MALFORMED: not strict DER (see der_check.hpp) or not re-encoding to the same bytes,
  // not signedData, detached content (no eContent), eContentType other than id-data, not exactly
  // one SignerInfo, a signer that is not named by issuerAndSerialNumber or whose certificate is not
  // among the enclosed ones, a malformed enclosed certificate or signed attribute we read.
  static CmsSignedData from_der(ByteView der);

  const Bytes& der() const { return fields_->der; }
  // The signed bytes (eContent).
  const Bytes& content() const { return fields_->content; }
  // The enclosed certificate the SignerInfo names.
  const Certificate& signer() const { return fields_->signer; }
  const std::vector<Certificate>& certificates() const { return fields_->certs; }
  // SignerInfo.digestAlgorithm and .signatureAlgorithm as dotted OIDs (policy is the caller's).
  const std::string& digest_oid() const { return fields_->digest_oid; }
  const std::string& signature_oid() const { return fields_->signature_oid; }
  // The digest algorithm when it is one we know (SHA-1/256/384/512).
  std::optional<DigestAlgorithm> digest() const { return fields_->digest; }
  bool has_signed_attributes() const { return fields_->has_signed_attrs; }
  // Signed attributes the HiPKI component writes: randomNonce 1.2.840.113549.1.9.25.3 (OCTET
  // STRING, or a string type holding text) and the card number 2.16.886.1.100.2.204 (a string type).
  // A repeated attribute or one with several values is CMS_MALFORMED.
  const std::optional<Bytes>& nonce_attribute() const { return fields_->nonce; }
  const std::optional<std::string>& card_serial_attribute() const { return fields_->card_sn; }
  const std::optional<TimePoint>& signing_time() const { return fields_->signing_time; }

  // True when the signer's key made the signature and, with signed attributes, messageDigest equals
  // the digest of the content and contentType is id-data. Never throws for a bad signature.
  bool verify() const;

 private:
  struct Fields {
    Bytes der, content;
    Certificate signer;
    std::vector<Certificate> certs;
    std::string digest_oid, signature_oid;
    std::optional<DigestAlgorithm> digest;
    bool has_signed_attrs = false;
    std::optional<Bytes> nonce{};
    std::optional<std::string> card_sn{};
    std::optional<TimePoint> signing_time{};
  };
  CmsSignedData(std::shared_ptr<CMS_ContentInfo> cms, std::shared_ptr<const Fields> fields)
      : cms_(std::move(cms)), fields_(std::move(fields)) {}
  std::shared_ptr<CMS_ContentInfo> cms_;
  std::shared_ptr<const Fields> fields_;
};

}  // namespace ecpa::crypto
