#include "pki_certificate_check.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "ecpa/common/error.hpp"

namespace ecpa::portal {
namespace {

std::vector<crypto::Certificate> read_pem_bundle(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(codes::CONFIG_INVALID, "trust: cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  try {
    return crypto::Certificate::all_from_pem(text.str());
  } catch (const Error& e) {
    throw Error(codes::CONFIG_INVALID, "trust: " + path.string() + ": " + e.cause());
  }
}

crypto::Certificate read_one(const std::filesystem::path& path) {
  auto certs = read_pem_bundle(path);
  if (certs.size() != 1)
    throw Error(codes::CONFIG_INVALID, "trust: " + path.string() + " must hold one certificate");
  return certs.front();
}

pki::CertificateKind kind_of(Route route) {
  return route == Route::Citizen ? pki::CertificateKind::Citizen : pki::CertificateKind::Agency;
}

pki::LoginPackage parse_package(const SignedPackage& p) {
  return pki::LoginPackage::parse(pki::SignatureForm::Pkcs7, p.signature, p.certb64, p.card_sn);
}

http::ClientResponse send(const http::ClientRequest& request, std::chrono::milliseconds timeout,
                          std::size_t max_bytes) {
  http::ClientOptions o;
  o.connect_timeout = std::min<std::chrono::milliseconds>(timeout, std::chrono::seconds(5));
  o.total_timeout = timeout;
  o.max_response_bytes = max_bytes;
  http::ClientResponse answer = http::Client(o).send(request);
  if (answer.status != 200)
    throw Error(codes::UPSTREAM_UNAVAILABLE,
                "HTTP " + std::to_string(answer.status) + " from revocation source");
  return answer;
}

}  // namespace

crypto::Bytes HttpRevocationFetcher::fetch(const std::string& url, crypto::ByteView request_der,
                                           std::chrono::milliseconds timeout) {
  http::ClientRequest r;
  r.method = "POST";
  r.url = url;
  r.headers.set("Content-Type", "application/ocsp-request");
  r.headers.set("Accept", "application/ocsp-response");
  r.body.assign(reinterpret_cast<const char*>(request_der.data()), request_der.size());
  auto answer = send(r, timeout, std::size_t{256} * 1024);  // an OCSP answer is a few KB
  return crypto::Bytes(answer.body.begin(), answer.body.end());
}

crypto::Bytes HttpRevocationFetcher::fetch_crl(const std::string& url, std::chrono::milliseconds timeout,
                                               std::size_t max_bytes) {
  http::ClientRequest r;
  r.url = url;
  auto answer = send(r, timeout, max_bytes);
  return crypto::Bytes(answer.body.begin(), answer.body.end());
}

pki::TrustConfig trust_config_from(const TrustSettings& settings) {
  pki::TrustConfig config;
  for (const auto& p : settings.anchors)
    for (auto& c : read_pem_bundle(p)) config.anchors.push_back(std::move(c));
  for (const auto& p : settings.intermediates)
    for (auto& c : read_pem_bundle(p)) config.intermediates.push_back(std::move(c));
  for (const auto& [name, s] : settings.issuers) {
    if (s.certificate.empty())
      throw Error(codes::CONFIG_INVALID, "trust.issuers." + name + ".certificate is required");
    pki::IssuerSettings issuer{.ca = read_one(s.certificate)};
    issuer.kind = s.kind == "agency" ? pki::CertificateKind::Agency : pki::CertificateKind::Citizen;
    if (!s.policies.empty()) issuer.policies = s.policies;
    if (!s.ocsp_url.empty()) issuer.ocsp_urls = {s.ocsp_url};
    if (!s.ocsp_responder_certificate.empty())
      issuer.pinned_responder = read_one(s.ocsp_responder_certificate);
    issuer.require_nonce = s.require_ocsp_nonce;
    issuer.ocsp_reuse = s.ocsp_reuse;
    issuer.reuse_on_outage = s.reuse_on_outage;
    issuer.fail_open = s.fail_open;
    config.issuers.push_back(std::move(issuer));
  }
  config.max_clock_skew = settings.max_clock_skew;
  config.max_ocsp_age = settings.ocsp_max_age;
  config.fetch_timeout = settings.ocsp_timeout;
  return config;
}

std::optional<pki::GoodAnswer> StoredGoodAnswers::find(const std::string& key, TimePoint now) {
  auto held = store_.find(key, now);
  if (!held) return std::nullopt;
  return pki::GoodAnswer{held->checked_at, held->this_update, held->next_update};
}

void StoredGoodAnswers::put(const std::string& key, const pki::GoodAnswer& answer) {
  store_.put(key, store::StoredOcspAnswer{answer.checked_at, answer.this_update, answer.next_update});
}

void StoredGoodAnswers::forget(const std::string& key, TimePoint seen_at) { store_.forget(key, seen_at); }

PkiCertificateCheck::PkiCertificateCheck(pki::TrustConfig config, pki::RevocationFetcher& fetcher,
                                         const Clock& clock, pki::GoodAnswerCache* answers)
    : validator_(std::move(config), fetcher, clock, answers) {}

std::string PkiCertificateCheck::signed_text(const SignedPackage& package) {
  pki::LoginPackage parsed = parse_package(package);
  if (!parsed.cms()) throw Error(codes::PACKAGE_MALFORMED, "not a PKCS7 package");
  return std::string(crypto::as_chars(parsed.cms()->content()));
}

CertificateFacts PkiCertificateCheck::validate(const SignedPackage& package, std::string_view expected_text,
                                               Route route) {
  pki::CertificateFacts f = validator_.validate(parse_package(package), expected_text, kind_of(route));
  CertificateFacts out;
  out.issuer_dn = f.issuer_dn;
  out.serial_hex = f.serial_hex;
  out.subject_dn = f.subject_dn;
  out.name = f.name;
  out.subject_serial = f.subject_serial_number;
  out.id_last4 = f.id_last4.value_or("");
  out.agency_oid = f.agency_oid.value_or("");
  out.card_sn = f.card_serial;
  out.route = route;
  // The audit log's spelling ("ocsp_cached"): libs/pki's names with underscores.
  out.revocation = std::string(pki::revocation_source_name(f.revocation.source));
  std::replace(out.revocation.begin(), out.revocation.end(), '-', '_');
  return out;
}

CertificateCheckBundle make_certificate_check(const PortalConfig& config, const Clock& clock,
                                              store::OcspAnswerStore& answers) {
  CertificateCheckBundle b;
  if (config.trust.issuers.empty()) return b;
  b.fetcher = std::make_unique<HttpRevocationFetcher>();
  b.answers = std::make_unique<StoredGoodAnswers>(answers);
  b.check = std::make_unique<PkiCertificateCheck>(trust_config_from(config.trust), *b.fetcher, clock,
                                                  b.answers.get());
  return b;
}

}  // namespace ecpa::portal
