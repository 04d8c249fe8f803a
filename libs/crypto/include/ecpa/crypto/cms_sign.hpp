#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ecpa/crypto/bytes.hpp"
#include "ecpa/crypto/certificate.hpp"
#include "ecpa/crypto/key.hpp"
#include "ecpa/crypto/time.hpp"

namespace ecpa::crypto {

// Produces an RSA PKCS#1 v1.5 signature over `bytes_to_sign` hashed with the algorithm (what a card
// does for CKM_SHA256_RSA_PKCS and friends). The private key is wherever the callback reaches: a
// PKCS#11 token for the agent, a PrivateKey in tests. It may throw (wrong PIN, card removed); the
// error passes through unchanged.
using SignFunction = std::function<Bytes(DigestAlgorithm alg, ByteView bytes_to_sign)>;

// Wraps an in-memory key as a SignFunction. The key must outlive the function.
SignFunction software_signer(const PrivateKey& key);

struct CmsSignOptions {
  DigestAlgorithm digest = DigestAlgorithm::Sha256;
  TimePoint signing_time{};
  // Signed attribute 1.2.840.113549.1.9.25.3 (pkcs-9-at-randomNonce), written as an OCTET STRING
  // holding these bytes (for the HiPKI `nonce` field: its UTF-8 text).
  std::optional<Bytes> nonce{};
  // Signed attribute 2.16.886.1.100.2.204, the card serial (`withCardSN`), as a PrintableString.
  std::optional<std::string> card_serial{};
  // More certificates to include after the signer's (intermediates).
  std::vector<Certificate> extra_certs{};
};

// CMS SignedData (RFC 5652) as the HiPKI component's PKCS7 mode makes it: attached content
// (eContent = `content`), one SignerInfo identified by issuerAndSerialNumber, signed attributes
// contentType (id-data), signingTime, messageDigest and the optional nonce and card serial,
// rsaEncryption with PKCS#1 v1.5, the signer's certificate included. Returns the DER.
//
// The callback's signature is checked against the certificate's key before anything is returned,
// so a card holding a different key than its certificate says is caught here (CRYPTO_ERROR), not at
// the server. Throws CRYPTO_ARGUMENT_INVALID for a card serial PrintableString cannot hold.
Bytes cms_sign_attached(ByteView content, const Certificate& signer, const SignFunction& sign,
                        const CmsSignOptions& options);

}  // namespace ecpa::crypto
