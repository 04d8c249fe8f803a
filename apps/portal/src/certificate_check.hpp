#pragma once
// What the portal needs from the certificate-login validator (libs/pki), and nothing more: handlers depend
// on this narrow interface; the production implementation wraps pki::LoginValidator.

#include <optional>
#include <string>
#include <string_view>

#include "ecpa/pki/login_text.hpp"

namespace ecpa::portal {

// What a signature is for: logging in, or binding a card to a person (DESIGN §4.1, §4.2).
using Purpose = pki::LoginPurpose;
inline std::string_view to_string(Purpose p) { return pki::purpose_name(p); }
inline std::optional<Purpose> parse_purpose(std::string_view text) {
  if (text == "login") return Purpose::Login;
  if (text == "bind") return Purpose::Bind;
  return std::nullopt;
}

enum class Route { Citizen, Agency };
inline std::string_view to_string(Route r) noexcept { return r == Route::Citizen ? "citizen" : "agency"; }

// The component's /sign answer as the page forwards it.
struct SignedPackage {
  std::string signature;  // base64 CMS SignedData (PKCS7)
  std::string certb64;    // base64 signer certificate (optional with PKCS7)
  std::string card_sn;    // as the component reported it (unsigned unless also in the CMS)
};

// What a validated certificate says about its holder.
struct CertificateFacts {
  std::string issuer_dn;
  std::string serial_hex;
  std::string subject_dn;
  std::string name;            // CN
  std::string subject_serial;  // subject serialNumber (the MOICA person identifier, not the ID number)
  std::string id_last4;        // SDA 2.16.886.1.100.2.51; empty when absent
  std::string agency_oid;      // SDA 2.16.886.1.100.2.102; empty when absent
  std::string card_sn;         // signed attribute when present, else the package's
  Route route = Route::Citizen;
  // How revocation was established: "ocsp", "ocsp_cached" (a good answer within the issuer's reuse window),
  // "crl", "ocsp_cached_on_outage" (nobody could be asked; the last good answer, as the issuer allows) or
  // "fail_open" (nobody could be asked and the issuer is configured to accept that). The last two are
  // audited as such.
  std::string revocation;
};

class CertificateCheck {
 public:
  virtual ~CertificateCheck() = default;
  // The signed text (eContent), read from the structure only (no trust decided yet), so the portal can
  // find the nonce it must take from the store before validating. Throws the validator's format errors
  // (PACKAGE_TOO_LARGE, PACKAGE_MALFORMED, CMS_MALFORMED).
  virtual std::string signed_text(const SignedPackage& package) = 0;
  // Every check of DESIGN §4.1 step 3 in order; throws the first failure's ecpa::Error.
  virtual CertificateFacts validate(const SignedPackage& package, std::string_view expected_text,
                                    Route route) = 0;
};

}  // namespace ecpa::portal
