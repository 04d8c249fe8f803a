#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ecpa/crypto/bytes.hpp"
#include "ecpa/crypto/certificate.hpp"
#include "ecpa/crypto/crl.hpp"
#include "ecpa/crypto/handles.hpp"
#include "ecpa/crypto/key.hpp"
#include "ecpa/crypto/time.hpp"

namespace ecpa::crypto {

// An OCSP CertID (RFC 6960 §4.1.1): which certificate of which issuer.
struct CertId {
  DigestAlgorithm hash = DigestAlgorithm::Sha1;
  Bytes issuer_name_hash;
  Bytes issuer_key_hash;
  std::string serial_hex;
  friend bool operator==(const CertId&, const CertId&) = default;
};
// The CertID of `cert` issued by `issuer`, hashed with `hash` (SHA-1 is what every client sends).
CertId make_cert_id(const Certificate& cert, const Certificate& issuer,
                    DigestAlgorithm hash = DigestAlgorithm::Sha1);
// Whether `id` names a certificate of `issuer` (hash of the issuer's name and key match).
bool cert_id_matches_issuer(const CertId& id, const Certificate& issuer);

// ---- Requests ----

class OcspRequest {
 public:
  // Throws OCSP_REQUEST_MALFORMED: not DER, trailing bytes, no CertID, an unsupported hash, a
  // nonce extension that is not an OCTET STRING.
  static OcspRequest from_der(ByteView der);

  const Bytes& der() const { return der_; }
  const std::vector<CertId>& cert_ids() const { return ids_; }
  // The nonce value (contents of the inner OCTET STRING), when the request carries one.
  const std::optional<Bytes>& nonce() const { return nonce_; }
  bool signed_request() const { return signed_; }

 private:
  Bytes der_;
  std::vector<CertId> ids_;
  std::optional<Bytes> nonce_;
  bool signed_ = false;
};

class OcspRequestBuilder {
 public:
  OcspRequestBuilder& add(CertId id);
  // A nonce chosen by the caller; by default a fresh random 32-byte nonce is added.
  OcspRequestBuilder& nonce(Bytes value);
  OcspRequestBuilder& without_nonce();
  // The nonce build() put into the request (to compare with the answer's).
  const std::optional<Bytes>& nonce_value() const { return nonce_; }
  // DER of an unsigned request. Throws CRYPTO_ARGUMENT_INVALID with no CertID.
  Bytes build();

 private:
  std::vector<CertId> ids_;
  std::optional<Bytes> nonce_;
  bool random_nonce_ = true;
};

// ---- Responses ----

enum class OcspResponseStatus : int {
  Successful = 0,
  MalformedRequest = 1,
  InternalError = 2,
  TryLater = 3,
  SigRequired = 5,
  Unauthorized = 6,
};
std::string_view response_status_name(OcspResponseStatus s);

enum class CertStatus { Good, Revoked, Unknown };
std::string_view cert_status_name(CertStatus s);

struct SingleResponse {
  CertId id;
  CertStatus status = CertStatus::Good;
  std::optional<TimePoint> revoked_at{};
  std::optional<RevocationReason> reason{};
  TimePoint this_update{};
  std::optional<TimePoint> next_update{};
  friend bool operator==(const SingleResponse&, const SingleResponse&) = default;
};

// A parsed OCSPResponse. For non-successful statuses only status() is meaningful.
class OcspResponse {
 public:
  // Throws OCSP_RESPONSE_MALFORMED: not DER, trailing bytes, a successful response that is not a
  // basic response, an unreadable single response or nonce.
  static OcspResponse from_der(ByteView der);

  const Bytes& der() const { return der_; }
  OcspResponseStatus status() const { return status_; }
  bool successful() const { return status_ == OcspResponseStatus::Successful; }
  const std::vector<SingleResponse>& responses() const { return responses_; }
  // The single response for `id`, if the answer has one.
  std::optional<SingleResponse> find(const CertId& id) const;
  const std::optional<Bytes>& nonce() const { return nonce_; }
  TimePoint produced_at() const { return produced_at_; }
  // Certificates the responder included (its own, usually).
  const std::vector<Certificate>& certs() const { return certs_; }
  // ResponderID: exactly one of these is set.
  const std::optional<Bytes>& responder_key_hash() const { return responder_key_hash_; }
  const std::optional<DistinguishedName>& responder_name() const { return responder_name_; }
  // Whether `signer`'s key made the signature over tbsResponseData (authorisation of the signer
  // is the caller's job: RFC 6960 §4.2.2.2).
  bool signed_by(const Certificate& signer) const;
  // Whether the ResponderID names `cert` (by key hash or by name).
  bool responder_id_matches(const Certificate& cert) const;

  OCSP_BASICRESP* native_basic() const { return basic_.get(); }

 private:
  Bytes der_;
  OcspResponseStatus status_ = OcspResponseStatus::InternalError;
  std::vector<SingleResponse> responses_;
  std::optional<Bytes> nonce_;
  TimePoint produced_at_{};
  std::vector<Certificate> certs_;
  std::optional<Bytes> responder_key_hash_;
  std::optional<DistinguishedName> responder_name_;
  std::shared_ptr<OCSP_BASICRESP> basic_;
};

// Builds what a responder sends back.
class OcspResponseBuilder {
 public:
  OcspResponseBuilder& add(SingleResponse single);
  // Echo this nonce (usually the request's); none by default.
  OcspResponseBuilder& nonce(Bytes value);
  // producedAt; the current time when not set.
  OcspResponseBuilder& produced_at(TimePoint t);
  // ResponderID byKey (default) or byName.
  OcspResponseBuilder& responder_id_by_name();
  // Include the signer certificate (default) or not.
  OcspResponseBuilder& include_signer_cert(bool include);

  // A successful basic response signed with sha256WithRSAEncryption by `signer`/`key`.
  // Throws CRYPTO_ARGUMENT_INVALID with no single response or a key that is not the signer's.
  Bytes sign(const Certificate& signer, const PrivateKey& key) const;
  // An unsigned error answer (malformedRequest, internalError, tryLater, sigRequired, unauthorized).
  static Bytes error(OcspResponseStatus status);

 private:
  std::vector<SingleResponse> singles_;
  std::optional<Bytes> nonce_;
  std::optional<TimePoint> produced_at_;
  bool by_name_ = false;
  bool include_cert_ = true;
};

}  // namespace ecpa::crypto
