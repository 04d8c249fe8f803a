#include "ecpa/pki/revocation.hpp"

#include "ecpa/crypto/ocsp.hpp"
#include "ecpa/pki/ocsp_check.hpp"

namespace ecpa::pki {

std::string_view revocation_source_name(RevocationSource s) {
  switch (s) {
    case RevocationSource::Ocsp:
      return "ocsp";
    case RevocationSource::OcspCached:
      return "ocsp-cached";
    case RevocationSource::Crl:
      return "crl";
    case RevocationSource::FailOpen:
      return "fail-open";
    case RevocationSource::OcspCachedOnOutage:
      return "ocsp-cached-on-outage";
    case RevocationSource::CrlOnOutage:
      return "crl-on-outage";
  }
  return "unknown";
}

RevocationChecker::RevocationChecker(RevocationFetcher& fetcher, const Clock& clock,
                                     std::size_t ocsp_cache_entries, std::size_t crl_cache_entries,
                                     GoodAnswerCache* answers)
    : fetcher_(fetcher),
      clock_(clock),
      own_answers_(answers ? 0 : ocsp_cache_entries),
      answers_(answers ? *answers : own_answers_),
      crl_cache_(crl_cache_entries) {}

void RevocationChecker::refuse(const std::string& key, ErrorCode code, std::string cause) {
  // Whatever was remembered as good is wrong now. A cache that cannot be told so must not turn the
  // refusal into another answer: the other nodes then reuse their answer for at most their window.
  try {
    answers_.forget(key, clock_.now());
  } catch (const std::exception&) {
  }
  throw Error(code, std::move(cause));
}

namespace {

// May a remembered good answer stand in for asking? Within the window as this node measures it from its
// question, and as the responder's own thisUpdate says (one clock for every node, so a node whose clock
// runs ahead, or a replayed old answer, cannot stretch the window by more than the allowed skew).
bool fresh_enough(const GoodAnswer& a, std::chrono::system_clock::time_point now, std::chrono::seconds reuse,
                  std::chrono::seconds skew) {
  return a.checked_at <= now && now - a.checked_at < reuse && now - a.this_update < reuse + skew;
}

}  // namespace

RevocationResult RevocationChecker::check(const crypto::Certificate& cert, const crypto::Certificate& issuer,
                                          const IssuerSettings& settings, const TrustConfig& config) {
  const auto now = clock_.now();
  const auto id = crypto::make_cert_id(cert, issuer);
  const std::string key = good_answer_key(id);
  // The cache only saves questions: when it cannot answer, the responder is asked.
  std::optional<GoodAnswer> remembered;
  try {
    remembered = answers_.find(key, now);
  } catch (const std::exception&) {
  }
  if (remembered &&
      crl_cache_.lists_since(issuer, cert.serial_hex(), remembered->this_update, now, config.max_clock_skew))
    refuse(key, codes::CERT_REVOKED,
           "CRL issued after the last good OCSP answer: revoked, serial " + cert.serial_hex());
  if (remembered && fresh_enough(*remembered, now, settings.ocsp_reuse, config.max_clock_skew))
    return {RevocationSource::OcspCached, {}};

  const OcspPolicy policy{settings.pinned_responder, settings.require_nonce, config.max_clock_skew,
                          config.max_ocsp_age};
  bool unreadable_answer = false;
  std::string last_failure;
  const auto& ocsp_urls = settings.ocsp_urls.empty() ? cert.ocsp_urls() : settings.ocsp_urls;
  for (const auto& url : ocsp_urls) {
    crypto::OcspRequestBuilder builder;
    builder.add(id);
    crypto::Bytes request = builder.build();
    crypto::Bytes body;
    try {
      body = fetcher_.fetch(url, request, config.fetch_timeout);
    } catch (const std::exception& e) {
      last_failure = url + ": " + e.what();
      continue;
    }
    std::optional<crypto::OcspResponse> response;
    try {
      response = crypto::OcspResponse::from_der(body);
    } catch (const Error& e) {
      unreadable_answer = true;
      last_failure = url + ": " + e.cause();
      continue;
    }
    if (!response->successful()) {
      last_failure = url + ": status " + std::string(crypto::response_status_name(response->status()));
      continue;
    }
    auto verdict = judge_ocsp_response(*response, id, builder.nonce_value(), issuer, policy, now);
    switch (verdict.status) {
      case crypto::CertStatus::Good:
        // Remembered for the window, or for reuse_on_outage; a cache that cannot keep it costs only a
        // question next time.
        if (verdict.next_update && (settings.ocsp_reuse.count() > 0 || settings.reuse_on_outage)) {
          try {
            answers_.put(key, GoodAnswer{now, verdict.this_update, *verdict.next_update});
          } catch (const std::exception&) {
          }
        }
        return {RevocationSource::Ocsp, url};
      case crypto::CertStatus::Revoked:
        refuse(key, codes::CERT_REVOKED, "OCSP: revoked, serial " + cert.serial_hex());
      case crypto::CertStatus::Unknown:
        refuse(key, codes::CERT_STATUS_UNKNOWN, "OCSP: unknown, serial " + cert.serial_hex());
    }
  }

  const std::vector<std::string> no_crl_urls;
  const auto& crl_urls = !settings.crl_fallback      ? no_crl_urls
                         : settings.crl_urls.empty() ? cert.crl_urls()
                                                     : settings.crl_urls;
  const bool crl_tried = !crl_urls.empty();
  // A CRL counts as a fresh answer only if the CA issued it within the window (as a good OCSP answer must
  // be); an older one that does not list the card says only that it was not revoked back then, which is
  // what a remembered answer says too: accepted on an outage only if the issuer allows that.
  bool stale_crl = false;
  for (const auto& url : crl_urls) {
    std::shared_ptr<const RevokedSerials> crl;
    try {
      crl = crl_cache_.get(fetcher_, url, issuer, now, config.max_clock_skew, config.fetch_timeout,
                           config.max_crl_bytes, settings.ocsp_reuse);
    } catch (const Error& e) {
      if (e.code() != codes::CRL_UNAVAILABLE) throw;
      last_failure = e.cause();
      continue;
    }
    if (crl->contains(cert.serial_hex()))
      refuse(key, codes::CERT_REVOKED, "CRL: revoked, serial " + cert.serial_hex());
    if (now - crl->this_update() < settings.ocsp_reuse + config.max_clock_skew)
      return {RevocationSource::Crl, url};
    stale_crl = true;
    last_failure = url + ": CRL issued before the reuse window";
  }

  if (settings.reuse_on_outage) {
    if (remembered && now < remembered->next_update) return {RevocationSource::OcspCachedOnOutage, {}};
    if (stale_crl) return {RevocationSource::CrlOnOutage, {}};
  }
  if (settings.fail_open) return {RevocationSource::FailOpen, {}};
  if (unreadable_answer) throw Error(codes::OCSP_INVALID, "no usable OCSP answer; last: " + last_failure);
  if (crl_tried) throw Error(codes::CRL_UNAVAILABLE, "neither OCSP nor CRL answered; last: " + last_failure);
  throw Error(codes::OCSP_UNAVAILABLE, ocsp_urls.empty() ? std::string("no OCSP responder known")
                                                         : "no OCSP answer; last: " + last_failure);
}

}  // namespace ecpa::pki
