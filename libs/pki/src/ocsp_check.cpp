#include "ecpa/pki/ocsp_check.hpp"

#include <algorithm>

#include "ecpa/common/error.hpp"
#include "ecpa/crypto/chain.hpp"
#include "ecpa/crypto/oids.hpp"

namespace ecpa::pki {

namespace {

bool same_cert(const crypto::Certificate& a, const crypto::Certificate& b) { return a.der() == b.der(); }

void check_signer(const crypto::OcspResponse& response, const crypto::Certificate& issuer,
                  const OcspPolicy& policy, crypto::TimePoint now) {
  auto speaks_for_issuer = [&](const crypto::Certificate& c) {
    return response.signed_by(c) && response.responder_id_matches(c);
  };
  if (speaks_for_issuer(issuer)) return;
  if (policy.pinned_responder && speaks_for_issuer(*policy.pinned_responder)) return;
  bool someone_else_signed = false;
  for (const auto& c : response.certs()) {
    if (same_cert(c, issuer) || !response.signed_by(c)) continue;
    if (response.responder_id_matches(c) && is_delegated_responder(c, issuer, now)) return;
    someone_else_signed = true;
  }
  if (someone_else_signed) {
    throw Error(codes::OCSP_RESPONDER_UNAUTHORISED,
                "OCSP answer signed by a certificate not delegated by the CA");
  }
  throw Error(codes::OCSP_INVALID,
              "OCSP answer signature not made by the CA, a delegate or the pinned responder");
}

}  // namespace

bool is_delegated_responder(const crypto::Certificate& responder, const crypto::Certificate& issuer,
                            crypto::TimePoint now) {
  if (responder.issuer_der() != issuer.subject_der()) return false;
  const auto& eku = responder.ext_key_usage();
  if (std::find(eku.begin(), eku.end(), crypto::oids::kEkuOcspSigning) == eku.end()) return false;
  if (auto ku = responder.key_usage(); ku && !ku->digital_signature) return false;
  if (!responder.valid_at(now)) return false;
  // Issued by the same CA key, not merely a CA of the same name.
  return crypto::certificate_signed_by(responder, issuer.public_key());
}

OcspVerdict judge_ocsp_response(const crypto::OcspResponse& response, const crypto::CertId& id,
                                const std::optional<crypto::Bytes>& request_nonce,
                                const crypto::Certificate& issuer, const OcspPolicy& policy,
                                crypto::TimePoint now) {
  if (!response.successful()) throw Error(codes::OCSP_INVALID, "OCSP answer not successful");
  check_signer(response, issuer, policy, now);

  const auto& nonce = response.nonce();
  if (request_nonce && nonce) {
    if (!crypto::equal_constant_time(*nonce, *request_nonce)) {
      throw Error(codes::OCSP_NONCE_MISMATCH, "OCSP answer carries another request's nonce");
    }
  } else if (policy.require_nonce) {
    throw Error(codes::OCSP_NONCE_MISMATCH, "OCSP answer without the request's nonce");
  }

  const auto& singles = response.responses();
  if (singles.size() != 1) {
    throw Error(codes::OCSP_INVALID,
                "OCSP answer with " + std::to_string(singles.size()) + " single responses");
  }
  const auto& single = singles.front();
  if (!(single.id == id)) throw Error(codes::OCSP_INVALID, "OCSP single response for another certificate");

  if (single.this_update > now + policy.max_clock_skew) {
    throw Error(codes::OCSP_STALE, "OCSP thisUpdate in the future");
  }
  if (single.this_update + policy.max_age < now) throw Error(codes::OCSP_STALE, "OCSP thisUpdate too old");
  if (single.next_update) {
    if (*single.next_update < single.this_update)
      throw Error(codes::OCSP_INVALID, "OCSP nextUpdate before thisUpdate");
    if (*single.next_update + policy.max_clock_skew < now)
      throw Error(codes::OCSP_STALE, "OCSP nextUpdate passed");
  }
  return OcspVerdict{single.status, single.this_update, single.next_update, single.revoked_at};
}

}  // namespace ecpa::pki
