#pragma once
// Client of MOICA's identity check service (ICSC, REFERENCE §3): one record per request, signed with the
// relying party's key (SHA1withRSA over the exact <ICSReq> text, as the service demands), the answer's
// ClientID, Nonce and SN echoes checked before its Code is believed. The XML itself is libs/icsc's, the
// same codec ecpa-sim answers with.

#include <functional>
#include <memory>
#include <string>

#include "ecpa/common/clock.hpp"
#include "ecpa/common/log.hpp"
#include "ecpa/crypto/certificate.hpp"
#include "ecpa/crypto/key.hpp"
#include "ecpa/http/client.hpp"
#include "identity_check.hpp"

namespace ecpa::portal {

struct IcscRequest {
  std::string ics_req;  // "<ICSReq>…</ICSReq>": the signed text
  std::string body;     // the form body to POST
  std::string nonce;
};

// Builds the request (exposed for tests). Throws IDENTITY_CHECK_FAILED when the certificate's subject
// serialNumber is not one ICSC can check (16 digits).
IcscRequest build_icsc_request(const crypto::Certificate& client_cert, const crypto::PrivateKey& client_key,
                               std::string_view nonce, Clock::time_point now, std::string_view subject_serial,
                               const tw::NationalId& id);

// The verdict from a response body, or throws IDENTITY_CHECK_UNAVAILABLE (server error, Code 999 or
// unknown, echo mismatch, malformed XML).
IdentityVerdict parse_icsc_response(std::string_view xml, std::string_view client_id, std::string_view nonce,
                                    std::string_view subject_serial);

class IcscClient final : public IdentityCheck {
 public:
  // Throws KEY_FILE_ERROR / KEY_INVALID / CERT_MALFORMED when the relying party's files are unusable.
  IcscClient(std::string url, const crypto::Certificate& client_cert, crypto::PrivateKey client_key,
             http::ClientOptions options, const Clock& clock, log::Logger logger);
  IdentityVerdict check(std::string_view subject_serial, const tw::NationalId& id) const override;

 private:
  std::string url_;
  crypto::Certificate cert_;
  crypto::PrivateKey key_;
  std::string client_id_;
  http::Client http_;
  const Clock& clock_;
  log::Logger logger_;
};

}  // namespace ecpa::portal
