#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "ecpa/crypto/certificate.hpp"
#include "ecpa/crypto/oids.hpp"

namespace ecpa::pki {

// Which login route a certificate belongs to: 自然人憑證 (MOICA) or 機關憑證 (GCA/XCA).
enum class CertificateKind { Citizen, Agency };
std::string_view kind_name(CertificateKind k);  // "citizen" | "agency"

// What the portal trusts about one issuing CA (MOICA, GCA, XCA, …). The CA certificate must also be
// among TrustConfig's anchors or intermediates: being listed here says how to treat its cards, not
// that it is trusted.
struct IssuerSettings {
  crypto::Certificate ca;
  CertificateKind kind = CertificateKind::Citizen;
  // Certificate policies a card must carry at least one of (empty = refuse every card: a policy
  // allow-list that allows everything by omission would be a configuration mistake nobody sees).
  std::vector<std::string> policies{std::string(crypto::oids::kGpkiClass3Policy)};
  // OCSP responders tried in order; empty = the card's AIA OCSP URLs.
  std::vector<std::string> ocsp_urls{};
  // A responder certificate trusted for this issuer's answers besides the CA and its delegates.
  std::optional<crypto::Certificate> pinned_responder{};
  // RFC 6960 nonce required in the answer (MOICA echoes it). Off only for responders that serve
  // pre-signed answers; replay is then bounded by max_ocsp_age.
  bool require_nonce = true;
  // CRLs tried when no OCSP responder answers; empty = the card's CRL distribution points.
  std::vector<std::string> crl_urls{};
  bool crl_fallback = true;
  // How long a good OCSP answer may stand in for asking again (the window between a revocation at the CA
  // and the portal refusing the card). 0 = ask on every login. Never longer than the answer's nextUpdate.
  std::chrono::seconds ocsp_reuse{60};
  // When the responders and CRLs cannot be reached after the reuse window: accept the last good answer
  // until its nextUpdate (the login is flagged, revocation = OcspCachedOnOutage, and audited) instead of
  // failing closed. Off by default. Never covers a revoked or unknown answer.
  bool reuse_on_outage = false;
  // Accept the card when neither OCSP nor CRL can be reached. Each such login is flagged in the
  // result (revocation = FailOpen) so the portal audits it. Never covers a bad or negative answer.
  bool fail_open = false;
};

struct TrustConfig {
  std::vector<crypto::Certificate> anchors;
  std::vector<crypto::Certificate> intermediates;
  std::vector<IssuerSettings> issuers;
  // Allowance for the citizen's clock vs ours, for certificate and OCSP time windows.
  std::chrono::seconds max_clock_skew{300};
  // An OCSP answer whose thisUpdate is older than this is stale even if nextUpdate is later.
  std::chrono::seconds max_ocsp_age{std::chrono::hours(24)};
  // Refused by default: SHA-1 collisions are practical (SHAttered, 2017).
  bool allow_sha1 = false;
  int min_rsa_bits = 2048;
  std::chrono::milliseconds fetch_timeout{5000};
  // Bounds: good OCSP answers cached, CRLs held, and the biggest CRL accepted.
  std::size_t ocsp_cache_entries = 100000;
  std::size_t crl_cache_entries = 8;
  std::size_t max_crl_bytes = std::size_t{64} * 1024 * 1024;
};

}  // namespace ecpa::pki
