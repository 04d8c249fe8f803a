#pragma once
// Shared by the portal's tests: a real SQLite database in a temp dir with every store, a fresh test PKI,
// packages signed the way the HiPKI component signs them (CMS, attached, nonce and card SN attributes), and
// and the real libs/pki validator over a test trust configuration whose revocation source is a real CRL.

#include <gtest/gtest.h>

#include <memory>
#include <set>

#include "auth/agency/agency_binding.hpp"
#include "auth/certificate/certificate_login.hpp"
#include "auth/certificate/certificate_room.hpp"
#include "auth/citizen/citizen_binding.hpp"
#include "certificate_check.hpp"
#include "ecpa/common/clock.hpp"
#include "ecpa/common/error.hpp"
#include "ecpa/crypto/bytes.hpp"
#include "ecpa/crypto/certificate_builder.hpp"
#include "ecpa/crypto/cms_sign.hpp"
#include "ecpa/crypto/cms_verify.hpp"
#include "ecpa/crypto/crl.hpp"
#include "ecpa/crypto/key.hpp"
#include "ecpa/crypto/oids.hpp"
#include "ecpa/crypto/testing/files.hpp"
#include "ecpa/crypto/testing/test_pki.hpp"
#include "ecpa/pki/fetcher.hpp"
#include "ecpa/pki/trust_config.hpp"
#include "ecpa/store/account_store.hpp"
#include "ecpa/store/audit_log.hpp"
#include "ecpa/store/binding_store.hpp"
#include "ecpa/store/database.hpp"
#include "ecpa/store/id_protector.hpp"
#include "ecpa/store/migrations.hpp"
#include "ecpa/store/nonce_store.hpp"
#include "ecpa/store/people_store.hpp"
#include "ecpa/store/session_store.hpp"
#include "ecpa/store/todo_store.hpp"
#include "identity_check.hpp"
#include "pki_certificate_check.hpp"
#include "session_manager.hpp"

namespace ecpa::portal::testing {

using crypto::testing::KeyAndCert;

// The validator's revocation source in tests: OCSP never answers (so the validator falls back), and the
// CRL is a real one signed by the test MOICA listing `revoked`. Built once per fetch from the current set.
class CrlOnlyFetcher final : public pki::RevocationFetcher {
 public:
  // CRLs are dated `crl_age` before `clock`'s now (the pinned test time without one): a few seconds, so
  // they are fresh news for the validator; hours, and they are no fresh answer (see libs/pki README).
  explicit CrlOnlyFetcher(const Clock* clock = nullptr) : clock_(clock) {}
  std::set<std::string> revoked;  // serial hex
  int ocsp_calls = 0, crl_calls = 0;
  std::chrono::seconds crl_age{10};

  crypto::Bytes fetch(const std::string&, crypto::ByteView, std::chrono::milliseconds) override {
    ++ocsp_calls;
    throw Error(codes::UPSTREAM_UNAVAILABLE, "test: no OCSP responder");
  }
  crypto::Bytes fetch_crl(const std::string&, std::chrono::milliseconds, std::size_t) override;

 private:
  const Clock* clock_;
};

class ScriptedIdentity final : public IdentityCheck {
 public:
  IdentityVerdict verdict = IdentityVerdict::Match;
  bool unavailable = false;
  mutable int calls = 0;
  IdentityVerdict check(std::string_view, const tw::NationalId&) const override {
    ++calls;
    if (unavailable) throw Error(codes::IDENTITY_CHECK_UNAVAILABLE, "scripted");
    return verdict;
  }
};

// One throw-away PKI for a whole test binary (RSA key generation is the slow part).
struct TestPki {
  KeyAndCert root = crypto::testing::make_root();
  KeyAndCert moica = crypto::testing::make_issuing_ca(root);
  KeyAndCert gca = crypto::testing::make_issuing_ca(root, "政府憑證管理中心");
  static const TestPki& get() {
    static const TestPki pki;
    return pki;
  }
};

inline crypto::Bytes CrlOnlyFetcher::fetch_crl(const std::string& url, std::chrono::milliseconds,
                                               std::size_t) {
  ++crl_calls;
  const auto now = clock_ ? clock_->now() : crypto::testing::kPinnedNow;
  crypto::CrlBuilder b;
  b.this_update(now - crl_age).next_update(now + std::chrono::hours(24 * 7));
  for (const auto& serial : revoked) b.add({serial, now - crl_age - std::chrono::hours(1), {}});
  const auto& ca = url.find("gca") != std::string::npos ? TestPki::get().gca : TestPki::get().moica;
  return b.sign(ca.cert, ca.key).der();
}

// The real libs/pki validator trusting the test root and MOICA, revocation by CRL (see CrlOnlyFetcher).
inline pki::TrustConfig test_trust() {
  pki::TrustConfig c;
  c.anchors = {TestPki::get().root.cert};
  c.intermediates = {TestPki::get().moica.cert, TestPki::get().gca.cert};
  pki::IssuerSettings moica{.ca = TestPki::get().moica.cert};
  moica.crl_urls = {"http://127.0.0.1:1/crl/moica.crl"};
  pki::IssuerSettings gca{.ca = TestPki::get().gca.cert, .kind = pki::CertificateKind::Agency};
  gca.crl_urls = {"http://127.0.0.1:1/crl/gca.crl"};
  c.issuers = {moica, gca};
  return c;
}

// An agency card (GCA): subject type government agency, the agency's OID in its SDA (.2.102).
inline KeyAndCert make_agency_card(const std::string& agency_oid,
                                   const std::string& name = "臺北市政府人事處") {
  auto key = crypto::PrivateKey::generate_rsa(2048);
  auto cert = crypto::CertificateBuilder()
                  .subject(crypto::DistinguishedName({{"C", "TW"}, {"O", name}, {"CN", name}}))
                  .public_key(key.public_key())
                  .validity(crypto::testing::kPinnedNow - std::chrono::hours(24 * 30),
                            crypto::testing::kPinnedNow + std::chrono::hours(24 * 700))
                  .key_usage({.digital_signature = true})
                  .policies({std::string(crypto::oids::kGpkiClass3Policy)})
                  .crl_urls({"http://127.0.0.1:1/crl/gca.crl"})
                  .subject_directory_attributes(
                      {.subject_type = std::string(crypto::oids::kSubjectTypeGovernmentAgency),
                       .agency_oid = agency_oid})
                  .sign(TestPki::get().gca.cert, TestPki::get().gca.key);
  return {std::move(key), std::move(cert)};
}

// A card: a citizen certificate whose SDA holds the last 4 digits of `national_id`.
inline KeyAndCert make_card(const std::string& national_id, const std::string& name = "王小明") {
  return crypto::testing::make_citizen(TestPki::get().moica, name, national_id.substr(6));
}

// What the component's /sign answers for `tbs` in PKCS7 mode.
inline SignedPackage sign_package(const KeyAndCert& card, std::string_view tbs,
                                  const std::string& card_sn = "TP03200302000536") {
  crypto::CmsSignOptions o;
  o.signing_time = crypto::testing::kPinnedNow;
  o.card_serial = card_sn;
  auto der =
      crypto::cms_sign_attached(crypto::as_bytes(tbs), card.cert, crypto::software_signer(card.key), o);
  return SignedPackage{crypto::to_base64(der), crypto::to_base64(card.cert.der()), card_sn};
}

// A migrated SQLite file in a temp dir and every store over it.
struct TestDb {
  crypto::testing::TempDir dir;
  std::string url = "sqlite://" + (dir.path() / "portal.db").string();
  std::unique_ptr<store::Database> db = [this] {
    auto d = store::Database::open(url);
    store::migrate(*d);
    return d;
  }();
  SecretBuffer id_key = store::IdProtector::load_or_create_key(dir.path() / "id.key");
  store::IdProtector ids{id_key};
  store::SqlPeopleStore people{*db, ids};
  store::SqlBindingStore bindings{*db};
  store::SqlNonceStore nonces{*db};
  store::SqlSessionStore sessions{*db};
  store::SqlAuditLog audit{*db};
  store::SqlTodoStore todos{*db};
  store::SqlAccountStore accounts{*db};

  std::int64_t count(std::string_view table) {
    return db->with_connection([&](store::Connection& c) {
      return c.query_one("SELECT count(*) FROM " + std::string(table))->i64(0);
    });
  }
  std::int64_t add_person(const std::string& national_id, const std::string& name = "王小明") {
    people.put_agency({"A01", "行政院人事行政總處"});
    std::vector<store::PersonImportRow> rows{{national_id, name, "A01", "科員", "wang@example.gov.tw"}};
    auto report = people.import_people(rows, store::ImportMode::AllOrNothing);
    EXPECT_TRUE(report.written);
    return report.rows.at(0).person_id.value_or(0);
  }
};

inline SecretBuffer test_key() {
  SecretBuffer k(32);
  (void)k.append(std::string(32, 'k'));
  return k;
}

// The certificate-login parts wired as the portal wires them, over a fresh database: what the tests that
// drive CertificateLogin (directly or through the HTTP handler) stand on.
struct AuthWorld {
  TestDb t;
  ManualClock clock{crypto::testing::kPinnedNow};
  SecretBuffer key = test_key();
  std::string origin = "https://ecpa.example.gov.tw";
  SessionManager sessions{t.sessions, clock,
                          SessionSettings{origin, std::chrono::minutes(15), std::chrono::hours(8)}, key};
  CrlOnlyFetcher fetcher{&clock};
  PkiCertificateCheck check{test_trust(), fetcher, clock};
  ScriptedIdentity identity;
  CitizenBinding citizen{&identity, t.people};
  AgencyBinding agency{t.people};
  CertificateLogin auth = auth_over(AuthStores{t.nonces, t.bindings, t.people, t.audit});
  CertificateRoom certificate_room{auth};

  // Another service on the same parts over other stores: a second portal node, a separate audit trail.
  CertificateLogin auth_over(AuthStores stores) {
    return CertificateLogin{stores,
                            sessions,
                            &check,
                            {&citizen, &agency},
                            clock,
                            AuthSettings{origin, std::chrono::minutes(5)},
                            log::Logger::to_stderr("test", log::Level::Error)};
  }
};

}  // namespace ecpa::portal::testing
