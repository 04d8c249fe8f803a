#include "pki_certificate_check.hpp"

#include <gtest/gtest.h>

#include "ecpa/http/server.hpp"
#include "test_support.hpp"

namespace ecpa::portal {
namespace {

using testing::TestPki;

const std::string kTbs =
    "openecpa-login-v1\norigin=https://ecpa.example.gov.tw\npurpose=login\nnonce="
    "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8\n";

ErrorCode code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  return codes::INTERNAL_ERROR;
}

TEST(PkiCertificateCheck, ValidatesARealPackageAndReportsTheFacts) {
  ManualClock clock(crypto::testing::kPinnedNow);
  testing::CrlOnlyFetcher fetcher;
  PkiCertificateCheck check(testing::test_trust(), fetcher, clock);
  auto card = testing::make_card("A123456789");
  auto package = testing::sign_package(card, kTbs);
  EXPECT_EQ(check.signed_text(package), kTbs);
  CertificateFacts f = check.validate(package, kTbs, Route::Citizen);
  EXPECT_EQ(f.issuer_dn, "C=TW, O=行政院, OU=內政部憑證管理中心");
  EXPECT_EQ(f.serial_hex, card.cert.serial_hex());
  EXPECT_EQ(f.id_last4, "6789");
  EXPECT_EQ(f.subject_serial, "0000000112345678");
  EXPECT_EQ(f.card_sn, "TP03200302000536");
  EXPECT_EQ(f.name, "王小明");
  EXPECT_EQ(f.revocation, "crl");
  EXPECT_EQ(fetcher.crl_calls, 1);
}

TEST(PkiCertificateCheck, PassesTheValidatorsRefusalsThrough) {
  ManualClock clock(crypto::testing::kPinnedNow);
  testing::CrlOnlyFetcher fetcher;
  auto card = testing::make_card("A123456789");
  fetcher.revoked.insert(card.cert.serial_hex());
  PkiCertificateCheck check(testing::test_trust(), fetcher, clock);
  auto package = testing::sign_package(card, kTbs);
  EXPECT_EQ(code_of([&] { check.validate(package, kTbs, Route::Citizen); }), codes::CERT_REVOKED);
  EXPECT_EQ(code_of([&] { check.validate(package, kTbs + "x", Route::Citizen); }), codes::TBS_MISMATCH);
  EXPECT_EQ(code_of([&] { check.validate(package, kTbs, Route::Agency); }), codes::CERT_WRONG_ROUTE);
  EXPECT_EQ(code_of([&] { check.signed_text(SignedPackage{"!!!", "", ""}); }), codes::PACKAGE_MALFORMED);
  // A card from a CA nobody configured.
  auto stranger_root = crypto::testing::make_root("Stranger");
  auto stranger_ca = crypto::testing::make_issuing_ca(stranger_root);
  auto stranger = crypto::testing::make_citizen(stranger_ca);
  EXPECT_EQ(code_of([&] { check.validate(testing::sign_package(stranger, kTbs), kTbs, Route::Citizen); }),
            codes::CERT_UNTRUSTED);
}

TEST(TrustConfigFrom, ReadsPemFilesAndRefusesBrokenOnes) {
  crypto::testing::TempDir dir;
  TrustSettings s;
  s.anchors = {dir.write("root.pem", TestPki::get().root.cert.pem())};
  s.intermediates = {dir.write("moica.pem", TestPki::get().moica.cert.pem())};
  IssuerSettings moica;
  moica.kind = "citizen";
  moica.certificate = dir.path() / "moica.pem";
  moica.ocsp_url = "http://127.0.0.1:8480/ocsp";
  moica.fail_open = true;
  s.issuers = {{"moica", moica}};
  pki::TrustConfig c = trust_config_from(s);
  ASSERT_EQ(c.issuers.size(), 1u);
  EXPECT_EQ(c.issuers[0].ca, TestPki::get().moica.cert);
  EXPECT_EQ(c.issuers[0].ocsp_urls, std::vector<std::string>{"http://127.0.0.1:8480/ocsp"});
  EXPECT_TRUE(c.issuers[0].fail_open);
  EXPECT_EQ(c.anchors.size(), 1u);

  s.issuers["moica"].certificate = dir.path() / "missing.pem";
  EXPECT_EQ(code_of([&] { trust_config_from(s); }), codes::CONFIG_INVALID);
  s.issuers["moica"].certificate = dir.write("junk.pem", std::string("not a certificate"));
  EXPECT_EQ(code_of([&] { trust_config_from(s); }), codes::CONFIG_INVALID);
}

TEST(HttpRevocationFetcher, OnlyA200IsAnAnswer) {
  http::ServerOptions o;
  o.address = "127.0.0.1";
  o.handler_threads = 0;
  http::Server server(o, [](const http::Request& r) {
    if (r.path == "/ocsp" && r.method == "POST" &&
        r.headers.get_or("Content-Type", "") == "application/ocsp-request")
      return http::Response::text("answer:" + r.body);
    if (r.path == "/crl") return http::Response::text("crl-bytes");
    return http::Response::text("no", 404);
  });
  HttpRevocationFetcher f;
  const std::string request = "req";
  auto ocsp = f.fetch(server.url() + "/ocsp", crypto::as_bytes(request), std::chrono::seconds(2));
  EXPECT_EQ(std::string(ocsp.begin(), ocsp.end()), "answer:req");
  auto crl = f.fetch_crl(server.url() + "/crl", std::chrono::seconds(2), 1024);
  EXPECT_EQ(std::string(crl.begin(), crl.end()), "crl-bytes");
  EXPECT_THROW(f.fetch_crl(server.url() + "/nothing", std::chrono::seconds(2), 1024), Error);
  EXPECT_THROW(f.fetch_crl(server.url() + "/crl", std::chrono::seconds(2), 4), Error);
  EXPECT_THROW(f.fetch("http://127.0.0.1:1/ocsp", crypto::as_bytes(request), std::chrono::seconds(1)), Error);
}

}  // namespace
}  // namespace ecpa::portal
