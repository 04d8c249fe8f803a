#pragma once
// The RFC 6960 responder as a pure function: request DER in, response DER out, no HTTP. The server
// adds transport, the "down" and "slow" faults; the rest of the faults change the answer itself.
#include <chrono>

#include "ecpa/common/clock.hpp"
#include "ecpa/crypto/bytes.hpp"
#include "faults.hpp"
#include "registry.hpp"
#include "sim_pki.hpp"

namespace ecpa::sim {

class OcspResponder {
 public:
  // At most this many CertIDs per request; more is malformedRequest (no amplification).
  static constexpr std::size_t kMaxCertIds = 20;

  OcspResponder(const SimPki& pki, const Clock& clock, std::chrono::seconds validity = std::chrono::hours(1))
      : pki_(pki), clock_(clock), validity_(validity) {}

  // `ca` is the CA named by the URL (/ocsp/{ca}); empty accepts any of the sim's issuing CAs.
  //  - unreadable request → malformedRequest;
  //  - a CertID of an issuer other than `ca` (or of no sim CA), or CertIDs of several CAs → unauthorized;
  //  - otherwise a basic response signed by that CA's delegated responder: good for certificates the
  //    registry holds and has not revoked, revoked (time, reason), unknown for serials it never issued;
  //    thisUpdate = now, nextUpdate = now + validity; the request's nonce echoed.
  crypto::Bytes respond(crypto::ByteView request_der, const RegistryData& registry, const Faults& faults,
                        std::string_view ca = {}) const;

 private:
  const SimPki& pki_;
  const Clock& clock_;
  std::chrono::seconds validity_;
};

}  // namespace ecpa::sim
