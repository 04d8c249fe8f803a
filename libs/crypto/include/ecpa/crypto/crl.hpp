#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ecpa/crypto/bytes.hpp"
#include "ecpa/crypto/certificate.hpp"
#include "ecpa/crypto/handles.hpp"
#include "ecpa/crypto/key.hpp"
#include "ecpa/crypto/name.hpp"
#include "ecpa/crypto/time.hpp"

namespace ecpa::crypto {

// CRLReason (RFC 5280 §5.3.1); value 7 is unused by the standard.
enum class RevocationReason : int {
  Unspecified = 0,
  KeyCompromise = 1,
  CaCompromise = 2,
  AffiliationChanged = 3,
  Superseded = 4,
  CessationOfOperation = 5,
  CertificateHold = 6,
  RemoveFromCrl = 8,
  PrivilegeWithdrawn = 9,
  AaCompromise = 10,
};
// RFC 5280 names: "unspecified", "keyCompromise", "cACompromise", "affiliationChanged", "superseded",
// "cessationOfOperation", "certificateHold", "removeFromCRL", "privilegeWithdrawn", "aACompromise".
std::string_view reason_name(RevocationReason r);
std::optional<RevocationReason> reason_from_name(std::string_view name);
std::optional<RevocationReason> reason_from_code(int code);

struct RevokedEntry {
  std::string serial_hex;  // as Certificate::serial_hex()
  TimePoint revoked_at{};
  std::optional<RevocationReason> reason{};
  friend bool operator==(const RevokedEntry&, const RevokedEntry&) = default;
};

// A parsed X.509 v2 CRL. Copies share the immutable X509_CRL.
class Crl {
 public:
  // Exactly one DER CRL (trailing bytes refused). Throws CRL_MALFORMED.
  static Crl from_der(ByteView der);
  static Crl from_pem(std::string_view pem);

  const Bytes& der() const { return fields_->der; }
  std::string pem() const;
  const DistinguishedName& issuer() const { return fields_->issuer; }
  const Bytes& issuer_der() const { return fields_->issuer_der; }
  TimePoint this_update() const { return fields_->this_update; }
  std::optional<TimePoint> next_update() const { return fields_->next_update; }
  // cRLNumber as lowercase hex ("" when absent).
  const std::string& crl_number_hex() const { return fields_->crl_number_hex; }
  const Bytes& authority_key_id() const { return fields_->aki; }
  std::size_t size() const;
  // Every entry, in CRL order (reads the whole list: O(n)).
  std::vector<RevokedEntry> entries() const;
  // One serial, by OpenSSL's sorted index: fast on big CRLs.
  std::optional<RevokedEntry> find(std::string_view serial_hex) const;
  // True when `issuer_key` made the signature.
  bool signed_by(const PublicKey& issuer_key) const;

  X509_CRL* native() const { return crl_.get(); }

 private:
  struct Fields {
    Bytes der, issuer_der, aki;
    DistinguishedName issuer;
    TimePoint this_update{};
    std::optional<TimePoint> next_update;
    std::string crl_number_hex;
  };
  explicit Crl(X509CrlPtr crl);
  std::shared_ptr<X509_CRL> crl_;
  std::shared_ptr<const Fields> fields_;
};

// Builds and signs (sha256WithRSAEncryption) a v2 CRL with cRLNumber and authorityKeyIdentifier.
class CrlBuilder {
 public:
  CrlBuilder& this_update(TimePoint t);
  CrlBuilder& next_update(TimePoint t);
  CrlBuilder& crl_number(std::uint64_t n);
  CrlBuilder& add(RevokedEntry entry);

  // Throws CRYPTO_ARGUMENT_INVALID when times are missing or inverted, a serial is not hex, a
  // serial is listed twice, or the key does not belong to the issuer certificate.
  Crl sign(const Certificate& issuer, const PrivateKey& issuer_key) const;

 private:
  std::optional<TimePoint> this_update_, next_update_;
  std::uint64_t number_ = 1;
  std::vector<RevokedEntry> entries_;
};

}  // namespace ecpa::crypto
