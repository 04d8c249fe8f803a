#pragma once
#include <string>

#include "ecpa/common/clock.hpp"
#include "ecpa/crypto/certificate.hpp"
#include "ecpa/pki/crl_cache.hpp"
#include "ecpa/pki/fetcher.hpp"
#include "ecpa/pki/ocsp_cache.hpp"
#include "ecpa/pki/trust_config.hpp"

namespace ecpa::pki {

// How a certificate's status was established. FailOpen means nobody could be asked and the issuer
// is configured to accept that: the portal must audit such a login.
enum class RevocationSource { Ocsp, OcspCached, Crl, FailOpen };
std::string_view revocation_source_name(RevocationSource s);

struct RevocationResult {
  RevocationSource source = RevocationSource::Ocsp;
  std::string url;  // the responder or CRL that answered ("" when cached or fail-open)
};

// Asks whether a certificate is revoked: the OCSP cache, then each OCSP responder in turn (a fresh
// 32-byte nonce each), then each CRL, then the issuer's fail-open setting.
// - A source that does not answer (fetcher throws, unreadable body, a non-successful OCSP status)
//   is skipped for the next one.
// - A source that answers wrongly (bad signature, unauthorised responder, nonce, stale, two
//   answers, a CRL that does not verify) ends the check with that error at once: it may be an
//   attack, and falling back would hide it.
// - Revoked → CERT_REVOKED; OCSP unknown → CERT_STATUS_UNKNOWN.
// - Nobody answered and not fail-open → OCSP_INVALID if a responder sent something unreadable,
//   CRL_UNAVAILABLE if CRLs were tried, else OCSP_UNAVAILABLE.
// Safe to share between threads (the fetcher must be too).
class RevocationChecker {
 public:
  RevocationChecker(RevocationFetcher& fetcher, const Clock& clock, std::size_t ocsp_cache_entries,
                    std::size_t crl_cache_entries);

  RevocationResult check(const crypto::Certificate& cert, const crypto::Certificate& issuer,
                         const IssuerSettings& settings, const TrustConfig& config);

  OcspCache& ocsp_cache() { return ocsp_cache_; }
  CrlCache& crl_cache() { return crl_cache_; }

 private:
  RevocationFetcher& fetcher_;
  const Clock& clock_;
  OcspCache ocsp_cache_;
  CrlCache crl_cache_;
};

}  // namespace ecpa::pki
