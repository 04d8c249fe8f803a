#pragma once
// The production CertificateCheck: libs/pki's LoginValidator, with OCSP and CRLs fetched over HTTP by
// libs/http's curl client, and a trust configuration read from the portal's [trust] table.

#include <memory>

#include "certificate_check.hpp"
#include "ecpa/common/clock.hpp"
#include "ecpa/http/client.hpp"
#include "ecpa/pki/validator.hpp"
#include "ecpa/store/ocsp_answer_store.hpp"
#include "portal_config.hpp"

namespace ecpa::portal {

// OCSP POSTs and CRL GETs. No redirects, no environment proxies (http::Client's defaults): revocation
// answers must come from the host we asked.
class HttpRevocationFetcher final : public pki::RevocationFetcher {
 public:
  HttpRevocationFetcher() = default;
  crypto::Bytes fetch(const std::string& url, crypto::ByteView request_der,
                      std::chrono::milliseconds timeout) override;
  crypto::Bytes fetch_crl(const std::string& url, std::chrono::milliseconds timeout,
                          std::size_t max_bytes) override;
};

// [trust] → pki::TrustConfig: PEM files read (bundles allowed), issuers matched to their CA certificates.
// Throws CONFIG_INVALID naming the file or issuer at fault.
pki::TrustConfig trust_config_from(const TrustSettings& settings);

// Good OCSP answers in the portal's database, so that every node reuses the same answers and one node's
// "revoked" ends the reuse on all of them (libs/pki's RevocationChecker decides the window).
class StoredGoodAnswers final : public pki::GoodAnswerCache {
 public:
  explicit StoredGoodAnswers(store::OcspAnswerStore& store) : store_(store) {}
  std::optional<pki::GoodAnswer> find(const std::string& key, TimePoint now) override;
  void put(const std::string& key, const pki::GoodAnswer& answer) override;
  void forget(const std::string& key, TimePoint seen_at) override;

 private:
  store::OcspAnswerStore& store_;
};

class PkiCertificateCheck final : public CertificateCheck {
 public:
  // `answers`: where good OCSP answers are kept (null: this process's memory).
  PkiCertificateCheck(pki::TrustConfig config, pki::RevocationFetcher& fetcher, const Clock& clock,
                      pki::GoodAnswerCache* answers = nullptr);
  std::string signed_text(const SignedPackage& package) override;
  CertificateFacts validate(const SignedPackage& package, std::string_view expected_text,
                            Route route) override;

 private:
  pki::LoginValidator validator_;
};

// Everything `serve` needs: the fetcher and the answers outlive the validator that uses them.
struct CertificateCheckBundle {
  std::unique_ptr<HttpRevocationFetcher> fetcher;
  std::unique_ptr<StoredGoodAnswers> answers;
  std::unique_ptr<PkiCertificateCheck> check;  // null when [trust] configures no issuer
};
CertificateCheckBundle make_certificate_check(const PortalConfig& config, const Clock& clock,
                                              store::OcspAnswerStore& answers);

}  // namespace ecpa::portal
