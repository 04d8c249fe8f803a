#include "ecpa/pki/login_package.hpp"

#include "ecpa/common/error.hpp"
#include "ecpa/crypto/der_check.hpp"

namespace ecpa::pki {

namespace {

[[noreturn]] void malformed(std::string cause) { throw Error(codes::PACKAGE_MALFORMED, std::move(cause)); }

// Base64 text length for n decoded bytes (with padding): refuse before decoding anything.
std::size_t b64_len(std::size_t n) { return (n + 2) / 3 * 4; }

crypto::Bytes decode(std::string_view b64, std::string_view what) {
  try {
    return crypto::from_base64(b64);
  } catch (const Error& e) {
    malformed(std::string(what) + " is not base64: " + e.cause());
  }
}

crypto::Certificate read_certificate(crypto::ByteView der) {
  // Strict DER here too: OpenSSL keeps the received encoding, so a BER certificate would otherwise
  // be accepted and hashed as sent.
  if (!crypto::is_strict_der(der)) malformed("certificate is not strict DER");
  try {
    return crypto::Certificate::from_der(der);
  } catch (const Error& e) {
    malformed("certificate: " + e.cause());
  }
}

}  // namespace

bool is_valid_card_serial(std::string_view s, std::size_t max_chars) {
  if (s.empty() || s.size() > max_chars) return false;
  for (char c : s) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

LoginPackage LoginPackage::parse(SignatureForm form, std::string_view signature_b64, std::string_view certb64,
                                 std::string_view card_serial, crypto::DigestAlgorithm pkcs1_digest,
                                 const PackageLimits& limits) {
  if (signature_b64.size() > b64_len(limits.max_signature_bytes)) {
    throw Error(codes::PACKAGE_TOO_LARGE, "signature field: " + std::to_string(signature_b64.size()));
  }
  if (certb64.size() > b64_len(limits.max_certificate_bytes)) {
    throw Error(codes::PACKAGE_TOO_LARGE, "certb64 field: " + std::to_string(certb64.size()));
  }
  if (card_serial.size() > limits.max_card_serial_chars)
    throw Error(codes::PACKAGE_TOO_LARGE, "cardSN field");
  if (signature_b64.empty()) malformed("no signature");
  crypto::Bytes signature = decode(signature_b64, "signature");
  crypto::Bytes cert = certb64.empty() ? crypto::Bytes{} : decode(certb64, "certb64");
  return parse_der(form, signature, cert, card_serial, pkcs1_digest, limits);
}

LoginPackage LoginPackage::parse_der(SignatureForm form, crypto::ByteView signature,
                                     crypto::ByteView cert_der, std::string_view card_serial,
                                     crypto::DigestAlgorithm pkcs1_digest, const PackageLimits& limits) {
  if (signature.size() > limits.max_signature_bytes) throw Error(codes::PACKAGE_TOO_LARGE, "signature");
  if (cert_der.size() > limits.max_certificate_bytes) throw Error(codes::PACKAGE_TOO_LARGE, "certificate");
  if (card_serial.size() > limits.max_card_serial_chars) throw Error(codes::PACKAGE_TOO_LARGE, "cardSN");
  if (!card_serial.empty() && !is_valid_card_serial(card_serial, limits.max_card_serial_chars)) {
    malformed("cardSN has characters other than A-Z 0-9");
  }
  if (signature.empty()) malformed("no signature");

  if (form == SignatureForm::Pkcs1) {
    if (cert_der.empty()) malformed("PKCS1 without certb64");
    // An RSA signature is exactly the modulus length; bound it to sane RSA sizes (1024–8192 bits)
    // here, the key size policy is the validator's.
    if (signature.size() < 128 || signature.size() > 1024)
      malformed("PKCS1 signature of an impossible length");
    LoginPackage p(form, read_certificate(cert_der));
    p.raw_signature_.assign(signature.begin(), signature.end());
    p.pkcs1_digest_ = pkcs1_digest;
    p.card_serial_ = std::string(card_serial);
    return p;
  }

  auto cms = [&] {
    try {
      return crypto::CmsSignedData::from_der(signature);
    } catch (const Error& e) {
      malformed("CMS: " + e.cause());
    }
  }();
  // The enclosed certificates were parsed by OpenSSL inside the CMS; read the signer's strictly too.
  if (!crypto::is_strict_der(cms.signer().der())) malformed("signer certificate is not strict DER");
  if (!cert_der.empty()) {
    const auto& enclosed = cms.signer().der();
    if (enclosed.size() != cert_der.size() ||
        !std::equal(enclosed.begin(), enclosed.end(), cert_der.begin())) {
      malformed("certb64 is not the certificate that signed");
    }
  }
  LoginPackage p(form, cms.signer());
  p.cms_ = std::move(cms);
  p.card_serial_ = std::string(card_serial);
  return p;
}

std::optional<crypto::DigestAlgorithm> LoginPackage::digest() const {
  if (form_ == SignatureForm::Pkcs1) return pkcs1_digest_;
  return cms_->digest();
}

}  // namespace ecpa::pki
