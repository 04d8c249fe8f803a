#pragma once
// Fresh throw-away certificate authorities and cards for tests, so no test depends on a checked-in
// certificate that expires. Times are pinned (kPinnedNow) so tests do not depend on the date.
#include <chrono>
#include <string>

#include "ecpa/crypto/certificate.hpp"
#include "ecpa/crypto/certificate_builder.hpp"
#include "ecpa/crypto/cms_sign.hpp"
#include "ecpa/crypto/key.hpp"

namespace ecpa::crypto::testing {

// 2026-01-15T00:00:00Z.
inline const TimePoint kPinnedNow = from_unix_seconds(1768435200);

struct KeyAndCert {
  PrivateKey key;
  Certificate cert;
};

// A self-signed root: C=TW, O=<org>, CN=<cn>, valid kPinnedNow − 1 year … + 10 years.
KeyAndCert make_root(const std::string& cn = "Test Root CA", int bits = 2048);
// An issuing CA under `parent` (pathLen 0), keyCertSign|cRLSign, with the MOICA-like DN
// C=TW, O=行政院, OU=<ou>.
KeyAndCert make_issuing_ca(const KeyAndCert& parent, const std::string& ou = "內政部憑證管理中心");
// A delegated OCSP responder certificate under `ca` (id-kp-OCSPSigning, ocsp-nocheck).
KeyAndCert make_ocsp_signer(const KeyAndCert& ca);
// A citizen signing certificate like a MOICA card's: C=TW, CN=<name>, serialNumber=<16 digits>;
// digitalSignature; GPKI class 3 policy; SDA subject type natural person and the ID's last 4 digits;
// AIA OCSP and CRLDP at http://127.0.0.1:1/…; valid kPinnedNow − 30 days … + 2 years.
KeyAndCert make_citizen(const KeyAndCert& ca, const std::string& name = "王小明",
                        const std::string& id_last4 = "6789");

// The hierarchy most tests need: root → issuing CA (MOICA-like) → a delegated OCSP responder and two
// citizens, `leaf` (王小明, …6789) and `other` (李大華, …1234).
struct CitizenPki {
  KeyAndCert root, ca, signer, leaf, other;
  explicit CitizenPki(const std::string& root_cn = "Test Root CA");
};
// One per test program, made on first use: RSA key generation is the slow part.
const CitizenPki& shared_pki();

// What the HiPKI component puts into its PKCS7 answer besides the content: signing time kPinnedNow,
// nonce "n0nce" and card number TP03200302000536 as signed attributes.
CmsSignOptions hipki_sign_options(DigestAlgorithm digest = DigestAlgorithm::Sha256);

}  // namespace ecpa::crypto::testing
