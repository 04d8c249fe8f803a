#pragma once
#include <chrono>
#include <optional>

#include "ecpa/crypto/certificate.hpp"
#include "ecpa/crypto/ocsp.hpp"

namespace ecpa::pki {

struct OcspPolicy {
  std::optional<crypto::Certificate> pinned_responder{};
  bool require_nonce = true;
  std::chrono::seconds max_clock_skew{300};
  std::chrono::seconds max_age{std::chrono::hours(24)};
};

struct OcspVerdict {
  crypto::CertStatus status = crypto::CertStatus::Unknown;
  crypto::TimePoint this_update{};
  std::optional<crypto::TimePoint> next_update{};
  std::optional<crypto::TimePoint> revoked_at{};
};

// Judges one successful OCSP answer to our request for `id` (RFC 6960), in this order:
//  1. signed by the issuing CA itself, by the pinned responder, or by a responder certificate the
//     CA issued directly with id-kp-OCSPSigning, valid now (§4.2.2.2); and the ResponderID names
//     that signer — else OCSP_INVALID (no known key made the signature) or
//     OCSP_RESPONDER_UNAUTHORISED (a key made it that has no right to speak for this CA);
//  2. the nonce echoes ours (required unless the policy says otherwise; a wrong one is always
//     refused) — else OCSP_NONCE_MISMATCH;
//  3. exactly one SingleResponse, for exactly our CertID — else OCSP_INVALID;
//  4. thisUpdate not in the future (beyond skew) nor older than max_age, nextUpdate not passed —
//     else OCSP_STALE.
// The certificate status is returned, not judged: the caller maps revoked/unknown to its errors.
OcspVerdict judge_ocsp_response(const crypto::OcspResponse& response, const crypto::CertId& id,
                                const std::optional<crypto::Bytes>& request_nonce,
                                const crypto::Certificate& issuer, const OcspPolicy& policy,
                                crypto::TimePoint now);

// Whether `responder` may sign answers for certificates of `issuer` by delegation (§4.2.2.2):
// issued by it (name and signature), id-kp-OCSPSigning, digitalSignature if keyUsage is present,
// valid at `now`.
bool is_delegated_responder(const crypto::Certificate& responder, const crypto::Certificate& issuer,
                            crypto::TimePoint now);

}  // namespace ecpa::pki
