#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "ecpa/crypto/bytes.hpp"
#include "ecpa/crypto/certificate.hpp"
#include "ecpa/crypto/cms_verify.hpp"

namespace ecpa::pki {

// The two answers the HiPKI component's `/sign` can give (REFERENCE §1): PKCS7 = CMS SignedData with
// the tbs attached and the signer's certificate enclosed; PKCS1 = a bare RSA PKCS#1 v1.5 signature
// of the tbs, the certificate in `certb64`.
enum class SignatureForm { Pkcs7, Pkcs1 };

struct PackageLimits {
  std::size_t max_signature_bytes = std::size_t{16} * 1024;  // decoded; a real PKCS7 answer is ≈ 2–3 KiB
  std::size_t max_certificate_bytes = std::size_t{8} * 1024;
  std::size_t max_card_serial_chars = 32;  // real card numbers have 16
};

// The signed login package, read and structurally checked but NOT yet trusted: nothing here says
// the signature verifies or the certificate is any good — LoginValidator decides that.
class LoginPackage {
 public:
  // From the fields the page posts (`signature`, `certb64`, `cardSN`), exactly as the component
  // returned them (standard base64). `certb64` is required for PKCS1; for PKCS7 it is optional and,
  // when given, must be the enclosed signer certificate. `card_serial` may be empty.
  // `pkcs1_digest` is the hash the portal asked the component to use (PKCS1 carries no algorithm
  // of its own apart from the DigestInfo inside the signature).
  // Throws PACKAGE_TOO_LARGE (before decoding anything) or PACKAGE_MALFORMED (base64, strict DER,
  // CMS structure, certificate, card number format).
  static LoginPackage parse(SignatureForm form, std::string_view signature_b64, std::string_view certb64,
                            std::string_view card_serial,
                            crypto::DigestAlgorithm pkcs1_digest = crypto::DigestAlgorithm::Sha256,
                            const PackageLimits& limits = {});
  // The same from decoded bytes (the fuzz target's entry; `cert_der` empty = absent).
  static LoginPackage parse_der(SignatureForm form, crypto::ByteView signature, crypto::ByteView cert_der,
                                std::string_view card_serial,
                                crypto::DigestAlgorithm pkcs1_digest = crypto::DigestAlgorithm::Sha256,
                                const PackageLimits& limits = {});

  SignatureForm form() const { return form_; }
  // The certificate that claims to have signed.
  const crypto::Certificate& signer() const { return signer_; }
  // PKCS7 only.
  const std::optional<crypto::CmsSignedData>& cms() const { return cms_; }
  // PKCS1 only: the raw signature.
  const crypto::Bytes& raw_signature() const { return raw_signature_; }
  // PKCS7: the SignerInfo's digest when known; PKCS1: the requested one.
  std::optional<crypto::DigestAlgorithm> digest() const;
  // The `cardSN` field as posted ("" when absent).
  const std::string& card_serial_field() const { return card_serial_; }

 private:
  LoginPackage(SignatureForm form, crypto::Certificate signer) : form_(form), signer_(std::move(signer)) {}
  SignatureForm form_;
  crypto::Certificate signer_;
  std::optional<crypto::CmsSignedData> cms_;
  crypto::Bytes raw_signature_;
  crypto::DigestAlgorithm pkcs1_digest_ = crypto::DigestAlgorithm::Sha256;
  std::string card_serial_;
};

// Card numbers as HiCOS reports them: 2 uppercase letters + 14 digits; we accept 1–32 characters of
// [A-Z0-9] so other issuers' cards fit, and nothing that could smuggle markup or separators.
bool is_valid_card_serial(std::string_view s, std::size_t max_chars = 32);

}  // namespace ecpa::pki
