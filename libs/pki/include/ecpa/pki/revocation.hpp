#pragma once
#include <string>

#include "ecpa/common/clock.hpp"
#include "ecpa/common/error.hpp"
#include "ecpa/crypto/certificate.hpp"
#include "ecpa/pki/crl_cache.hpp"
#include "ecpa/pki/fetcher.hpp"
#include "ecpa/pki/ocsp_cache.hpp"
#include "ecpa/pki/trust_config.hpp"

namespace ecpa::pki {

// How a certificate's status was established.
// - OcspCached: a good answer given less than the issuer's ocsp_reuse window ago.
// - Crl: a CRL issued within that window (older ones are not fresh news).
// - OcspCachedOnOutage / CrlOnOutage: nobody gave a fresh answer after that window and the issuer is
//   configured (reuse_on_outage) to accept the last good answer until its nextUpdate, or else a CRL
//   issued before the window that does not list the card.
// - FailOpen: nobody could be asked, nothing was remembered, and the issuer is configured to accept that.
// The portal must audit the last two as logins whose revocation status was not freshly checked.
enum class RevocationSource { Ocsp, OcspCached, Crl, FailOpen, OcspCachedOnOutage, CrlOnOutage };
std::string_view revocation_source_name(RevocationSource s);

struct RevocationResult {
  RevocationSource source = RevocationSource::Ocsp;
  std::string url;  // the responder or CRL that answered ("" when cached or fail-open)
};

// Asks whether a certificate is revoked: a good answer remembered for less than the issuer's ocsp_reuse
// window (unless a CRL held since says revoked), then each OCSP responder in turn (a fresh 32-byte nonce
// each), then each CRL, then the issuer's reuse_on_outage and fail-open settings.
// - A revoked (or unknown) verdict from any source drops the remembered good answer at once; with a
//   shared GoodAnswerCache (the portal's database) that reaches every node.
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
  // `answers`: where good answers are remembered; null = an in-process OcspCache of
  // `ocsp_cache_entries`. It must outlive the checker.
  RevocationChecker(RevocationFetcher& fetcher, const Clock& clock, std::size_t ocsp_cache_entries,
                    std::size_t crl_cache_entries, GoodAnswerCache* answers = nullptr);

  RevocationResult check(const crypto::Certificate& cert, const crypto::Certificate& issuer,
                         const IssuerSettings& settings, const TrustConfig& config);

  GoodAnswerCache& answers() { return answers_; }
  CrlCache& crl_cache() { return crl_cache_; }

 private:
  [[noreturn]] void refuse(const std::string& key, ErrorCode code, std::string cause);

  RevocationFetcher& fetcher_;
  const Clock& clock_;
  OcspCache own_answers_;
  GoodAnswerCache& answers_;
  CrlCache crl_cache_;
};

}  // namespace ecpa::pki
