#include "ecpa/pki/validator.hpp"

#include <algorithm>

#include "ecpa/common/error.hpp"
#include "ecpa/crypto/key.hpp"
#include "ecpa/crypto/oids.hpp"

namespace ecpa::pki {

namespace {

// RSA PKCS#1 v1.5 only: rsaEncryption (the digest named separately) or shaNWithRSAEncryption.
constexpr std::string_view kRsaEncryption = "1.2.840.113549.1.1.1";
constexpr std::string_view kSha1WithRsa = "1.2.840.113549.1.1.5";
constexpr std::string_view kSha256WithRsa = "1.2.840.113549.1.1.11";
constexpr std::string_view kSha384WithRsa = "1.2.840.113549.1.1.12";
constexpr std::string_view kSha512WithRsa = "1.2.840.113549.1.1.13";

std::string_view rsa_oid_for(crypto::DigestAlgorithm d) {
  switch (d) {
    case crypto::DigestAlgorithm::Sha1:
      return kSha1WithRsa;
    case crypto::DigestAlgorithm::Sha256:
      return kSha256WithRsa;
    case crypto::DigestAlgorithm::Sha384:
      return kSha384WithRsa;
    case crypto::DigestAlgorithm::Sha512:
      return kSha512WithRsa;
  }
  return {};
}

[[noreturn]] void not_allowed(std::string cause) {
  throw Error(codes::ALGORITHM_NOT_ALLOWED, std::move(cause));
}

bool contains_any(const std::vector<std::string>& have, const std::vector<std::string>& allowed) {
  return std::any_of(have.begin(), have.end(), [&](const auto& p) {
    return std::find(allowed.begin(), allowed.end(), p) != allowed.end();
  });
}

}  // namespace

std::string_view kind_name(CertificateKind k) { return k == CertificateKind::Agency ? "agency" : "citizen"; }

LoginValidator::LoginValidator(TrustConfig config, RevocationFetcher& fetcher, const Clock& clock,
                               GoodAnswerCache* answers)
    : config_(std::move(config)),
      trust_(config_.anchors, config_.intermediates),
      clock_(clock),
      revocation_(fetcher, clock, config_.ocsp_cache_entries, config_.crl_cache_entries, answers) {
  if (config_.min_rsa_bits < 2048) throw Error(codes::CONFIG_INVALID, "min_rsa_bits under 2048");
  for (const auto& issuer : config_.issuers) {
    auto listed = [&](const std::vector<crypto::Certificate>& v) {
      return std::find(v.begin(), v.end(), issuer.ca) != v.end();
    };
    if (!listed(config_.anchors) && !listed(config_.intermediates)) {
      throw Error(codes::CONFIG_INVALID,
                  "issuer " + issuer.ca.subject().to_string() + " is not in the trust store");
    }
  }
}

void LoginValidator::check_algorithms(const LoginPackage& package) const {
  auto digest = package.digest();
  if (!digest) not_allowed("unknown digest algorithm " + package.cms()->digest_oid());
  if (*digest == crypto::DigestAlgorithm::Sha1 && !config_.allow_sha1) not_allowed("SHA-1 signature");
  if (package.form() == SignatureForm::Pkcs7) {
    const auto& sig = package.cms()->signature_oid();
    if (sig != kRsaEncryption && sig != rsa_oid_for(*digest)) not_allowed("signature algorithm " + sig);
  }
  auto key = package.signer().public_key();
  if (!key.is_rsa()) not_allowed("signer key is not RSA");
  if (key.bits() < config_.min_rsa_bits) not_allowed("RSA key of " + std::to_string(key.bits()) + " bits");
  const auto& cert_alg = package.signer().signature_algorithm();
  bool cert_alg_ok = cert_alg == kSha256WithRsa || cert_alg == kSha384WithRsa || cert_alg == kSha512WithRsa ||
                     (config_.allow_sha1 && cert_alg == kSha1WithRsa);
  if (!cert_alg_ok) not_allowed("certificate signed with " + cert_alg);
}

void LoginValidator::check_signature(const LoginPackage& package, std::string_view expected_tbs) const {
  if (package.form() == SignatureForm::Pkcs1) {
    if (!crypto::verify_signature(package.signer().public_key(), *package.digest(),
                                  crypto::as_bytes(expected_tbs), package.raw_signature())) {
      throw Error(codes::SIGNATURE_INVALID, "PKCS1 signature does not verify over the expected text");
    }
    return;
  }
  const auto& cms = *package.cms();
  if (!cms.verify()) throw Error(codes::SIGNATURE_INVALID, "CMS signature does not verify");
  const auto& content = cms.content();
  if (content.size() != expected_tbs.size() ||
      !crypto::equal_constant_time(content, crypto::as_bytes(expected_tbs))) {
    throw Error(codes::TBS_MISMATCH, "signed content is not the expected text");
  }
}

const IssuerSettings& LoginValidator::check_certificate(const crypto::Certificate& cert,
                                                        CertificateKind route, crypto::TimePoint now) const {
  if (now + config_.max_clock_skew < cert.not_before())
    throw Error(codes::CERT_NOT_YET_VALID, cert.serial_hex());
  if (now - config_.max_clock_skew > cert.not_after()) throw Error(codes::CERT_EXPIRED, cert.serial_hex());
  auto ku = cert.key_usage();
  if (!ku || !ku->digital_signature) throw Error(codes::CERT_KEY_USAGE, "no digitalSignature key usage");
  if (cert.is_ca() || ku->key_cert_sign) throw Error(codes::CERT_KEY_USAGE, "a CA certificate cannot log in");

  // MOICA generations share one issuer name: tell them apart by the authority key identifier.
  const IssuerSettings* settings = nullptr;
  for (const auto& s : config_.issuers) {
    if (s.ca.subject_der() != cert.issuer_der()) continue;
    if (!cert.authority_key_id().empty() && cert.authority_key_id() != s.ca.subject_key_id()) continue;
    settings = &s;
    break;
  }
  if (settings == nullptr)
    throw Error(codes::CERT_UNTRUSTED, "issuer not configured: " + cert.issuer().to_string());

  if (!contains_any(cert.policies(), settings->policies))
    throw Error(codes::CERT_POLICY, "no allowed policy");

  if (settings->kind != route) {
    throw Error(codes::CERT_WRONG_ROUTE, std::string(kind_name(settings->kind)) + " certificate on the " +
                                             std::string(kind_name(route)) + " route");
  }
  // The subject type, when the card states one, must agree with the issuer's kind: a mis-filed
  // issuer setting must not let an organisation's card in as a person or the reverse.
  if (const auto& type = cert.sda().subject_type) {
    bool person = *type == crypto::oids::kSubjectTypeNaturalPerson;
    if (person != (route == CertificateKind::Citizen)) {
      throw Error(codes::CERT_WRONG_ROUTE,
                  "subject type " + *type + " on the " + std::string(kind_name(route)) + " route");
    }
  }
  return *settings;
}

CertificateFacts LoginValidator::validate(const LoginPackage& package, const LoginText& expected,
                                          CertificateKind route) {
  return validate(package, expected.to_string(), route);
}

CertificateFacts LoginValidator::validate(const LoginPackage& package, std::string_view expected_tbs,
                                          CertificateKind route) {
  check_algorithms(package);
  check_signature(package, expected_tbs);

  const auto& cert = package.signer();
  const auto now = clock_.now();
  const IssuerSettings& settings = check_certificate(cert, route, now);

  auto path = trust_.verify(cert, now);
  if (path.size() < 2 || !(path[1] == settings.ca)) {
    throw Error(codes::CERT_UNTRUSTED, "path does not run through the configured issuer");
  }

  CertificateFacts facts;
  facts.card_serial = package.card_serial_field();
  if (package.form() == SignatureForm::Pkcs7) {
    const auto& cms = *package.cms();
    if (const auto& signed_sn = cms.card_serial_attribute()) {
      if (!facts.card_serial.empty() && facts.card_serial != *signed_sn) {
        throw Error(codes::PACKAGE_MALFORMED, "cardSN field differs from the signed card number");
      }
      facts.card_serial = *signed_sn;
      facts.card_serial_signed = true;
    }
    facts.nonce_attribute = cms.nonce_attribute();
  }

  facts.revocation = revocation_.check(cert, path[1], settings, config_);

  facts.method = settings.kind;
  facts.issuer_dn = cert.issuer().to_string();
  facts.serial_hex = cert.serial_hex();
  facts.subject_dn = cert.subject().to_string();
  facts.name = cert.subject().first("CN");
  facts.subject_serial_number = cert.subject().first("serialNumber");
  facts.subject_type = cert.sda().subject_type;
  facts.id_last4 = cert.sda().id_last4;
  facts.agency_oid = cert.sda().agency_oid;
  facts.fingerprint_sha256 = cert.fingerprint_sha256();
  return facts;
}

}  // namespace ecpa::pki
