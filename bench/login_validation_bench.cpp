// Certificate-login validations per second on one core with OCSP answers cached, against a floor: a
// bare OpenSSL loop doing only the work no login can skip — decode the base64, parse the CMS (and
// with it the leaf) from DER, verify the signature, X509_verify_cert against pre-parsed intermediates.
// Everything our validator adds (strict DER, re-encoding check, profile and policy checks, route,
// cache lookup, the facts) shows up as the ratio floor_time / our_time (goal ≥ 0.7).
//
// The floor calls OpenSSL directly on purpose: it is the yardstick, not project code.
#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>

#include "ecpa/common/clock.hpp"
#include "ecpa/crypto/cms_sign.hpp"
#include "ecpa/crypto/ocsp.hpp"
#include "ecpa/crypto/testing/test_pki.hpp"
#include "ecpa/pki/validator.hpp"

namespace {

using namespace ecpa;
using crypto::testing::kPinnedNow;
using Clock = std::chrono::steady_clock;

// Answers OCSP like the issuing CA would (good, nonce echoed); with the cache warm it is called
// once, so its cost is not in the measured loop.
class IssuerResponder : public pki::RevocationFetcher {
 public:
  explicit IssuerResponder(const crypto::testing::KeyAndCert& ca) : ca_(ca) {}
  crypto::Bytes fetch(const std::string&, crypto::ByteView request_der, std::chrono::milliseconds) override {
    ++calls;
    auto request = crypto::OcspRequest::from_der(request_der);
    crypto::OcspResponseBuilder b;
    for (const auto& id : request.cert_ids()) {
      b.add({.id = id,
             .status = crypto::CertStatus::Good,
             .this_update = kPinnedNow - std::chrono::minutes(1),
             .next_update = kPinnedNow + std::chrono::hours(4)});
    }
    if (request.nonce()) b.nonce(*request.nonce());
    b.produced_at(kPinnedNow);
    return b.sign(ca_.cert, ca_.key);
  }
  crypto::Bytes fetch_crl(const std::string&, std::chrono::milliseconds, std::size_t) override {
    throw std::runtime_error("no CRL in the benchmark");
  }
  int calls = 0;

 private:
  const crypto::testing::KeyAndCert& ca_;
};

// Runs `once` repeatedly for about `seconds` and returns operations per second.
double rate(const std::function<void()>& once, double seconds) {
  for (int i = 0; i < 50; ++i) once();  // warm up
  long n = 0;
  auto start = Clock::now();
  auto deadline = start + std::chrono::duration<double>(seconds);
  Clock::time_point now;
  do {
    for (int i = 0; i < 50; ++i) once();
    n += 50;
    now = Clock::now();
  } while (now < deadline);
  return static_cast<double>(n) / std::chrono::duration<double>(now - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = argc > 1 ? std::atof(argv[1]) : 2.0;

  auto root = crypto::testing::make_root("Government Root Certification Authority");
  auto moica = crypto::testing::make_issuing_ca(root, "內政部憑證管理中心");
  auto card = crypto::testing::make_citizen(moica);

  pki::TrustConfig config;
  config.anchors = {root.cert};
  config.intermediates = {moica.cert};
  config.issuers.push_back({.ca = moica.cert, .kind = pki::CertificateKind::Citizen});
  IssuerResponder responder(moica);
  ManualClock clock(kPinnedNow);
  pki::LoginValidator validator(config, responder, clock);

  pki::LoginText text{"https://ecpa.example.gov.tw", pki::LoginPurpose::Login, crypto::random_bytes(32)};
  const std::string tbs = text.to_string();
  crypto::CmsSignOptions options;
  options.signing_time = kPinnedNow;
  options.card_serial = "TP03200302000536";
  const std::string signature_b64 = crypto::to_base64(crypto::cms_sign_attached(
      crypto::as_bytes(tbs), card.cert, crypto::software_signer(card.key), options));

  // --- ours: what the portal calls per login ---
  auto ours = [&] {
    auto package = pki::LoginPackage::parse(pki::SignatureForm::Pkcs7, signature_b64, "", "TP03200302000536");
    auto facts = validator.validate(package, tbs, pki::CertificateKind::Citizen);
    if (facts.revocation.source != pki::RevocationSource::OcspCached &&
        facts.revocation.source != pki::RevocationSource::Ocsp) {
      std::abort();
    }
  };

  // --- floor: bare OpenSSL, trust store and intermediates parsed once ---
  X509_STORE* store = X509_STORE_new();
  X509_STORE_add_cert(store, root.cert.native());
  STACK_OF(X509)* untrusted = sk_X509_new_null();
  sk_X509_push(untrusted, moica.cert.native());
  const time_t at = static_cast<time_t>(crypto::to_unix_seconds(kPinnedNow));
  std::vector<unsigned char> der(signature_b64.size());
  auto floor = [&] {
    int n = EVP_DecodeBlock(der.data(), reinterpret_cast<const unsigned char*>(signature_b64.data()),
                            static_cast<int>(signature_b64.size()));
    if (n <= 0) std::abort();
    const unsigned char* p = der.data();
    CMS_ContentInfo* cms = d2i_CMS_ContentInfo(nullptr, &p, n);
    if (cms == nullptr) std::abort();
    STACK_OF(X509)* certs = CMS_get1_certs(cms);
    X509* leaf = sk_X509_value(certs, 0);
    if (CMS_verify(cms, certs, nullptr, nullptr, nullptr,
                   CMS_NO_SIGNER_CERT_VERIFY | CMS_NOINTERN | CMS_BINARY) != 1) {
      std::abort();
    }
    X509_STORE_CTX* ctx = X509_STORE_CTX_new();
    X509_STORE_CTX_init(ctx, store, leaf, untrusted);
    X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), at);
    if (X509_verify_cert(ctx) != 1) std::abort();
    X509_STORE_CTX_free(ctx);
    sk_X509_pop_free(certs, X509_free);
    CMS_ContentInfo_free(cms);
  };

  ours();  // fills the OCSP cache
  double floor_rate = rate(floor, seconds);
  double our_rate = rate(ours, seconds);
  std::printf("login validation, 1 core, OCSP cached (%d OCSP fetch)\n", responder.calls);
  std::printf(
      "  floor (bare OpenSSL: base64 + CMS parse + signature + X509_verify_cert): %10.0f /s  %7.1f us\n",
      floor_rate, 1e6 / floor_rate);
  std::printf(
      "  ours  (LoginPackage::parse + LoginValidator::validate):                 %10.0f /s  %7.1f us\n",
      our_rate, 1e6 / our_rate);
  std::printf("  ratio ours/floor: %.2f  (goal >= 0.70)\n", our_rate / floor_rate);

  sk_X509_free(untrusted);
  X509_STORE_free(store);
  return 0;
}
