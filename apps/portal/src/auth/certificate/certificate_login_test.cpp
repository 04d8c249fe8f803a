#include "auth/certificate/certificate_login.hpp"

#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "ecpa/store/migrations.hpp"
#include "pki_certificate_check.hpp"
#include "test_support.hpp"

namespace ecpa::portal {
namespace {

using namespace std::chrono_literals;
using testing::make_card;
using testing::sign_package;
constexpr std::string_view kOrigin = "https://ecpa.example.gov.tw";
const std::string kId = "A123456789";

struct AuthFixture : ::testing::Test, testing::AuthWorld {
  ClientInfo client{"127.0.0.1", "trace-1"};

  static const crypto::testing::KeyAndCert& card() {
    static const auto c = make_card(kId);
    return c;
  }
  ActiveSession presession() { return sessions.current_or_new(http::Request{}); }
  SignedPackage signed_for(const ActiveSession& s, Purpose p, const crypto::testing::KeyAndCert& c = card()) {
    return sign_package(c, auth.challenge(s, p, Route::Citizen).tbs);
  }
  template <class F>
  ErrorCode code_of(F&& f) {
    try {
      f();
    } catch (const Error& e) {
      return e.code();
    }
    return codes::INTERNAL_ERROR;
  }
  std::string last_audit_reason() {
    auto records = t.audit.read(0, 1000);
    return records.empty() ? "" : records.back().event.reason;
  }

  // A service whose audit trail is its own SQLite file, waiting only briefly for a lock, so a test can
  // make the trail unwritable (AuditDatabaseLock) while everything else works.
  struct SeparateAudit {
    explicit SeparateAudit(AuthFixture& f)
        : url("sqlite://" + (f.t.dir.path() / "audit.db").string()),
          db(migrated(url)),
          audit_log(*db),
          auth(f.auth_over(AuthStores{f.t.nonces, f.t.bindings, f.t.people, audit_log})) {}
    static std::unique_ptr<store::Database> migrated(const std::string& url) {
      auto db = store::Database::open(url, store::DatabaseOptions{.busy_timeout = 100ms});
      store::migrate(*db);
      return db;
    }
    std::string url;
    std::unique_ptr<store::Database> db;
    store::SqlAuditLog audit_log;
    CertificateLogin auth;
  };
};

TEST_F(AuthFixture, ChallengeTextNamesOriginPurposeAndNonce) {
  auto s = presession();
  Challenge c = auth.challenge(s, Purpose::Bind, Route::Citizen);
  EXPECT_EQ(c.nonce.size(), 43u);
  EXPECT_EQ(c.tbs,
            (pki::LoginText{std::string(kOrigin), Purpose::Bind, pki::from_base64url(c.nonce)}.to_string()));
  EXPECT_EQ(c.expires_at, clock.now() + 5min);
  EXPECT_NE(auth.challenge(s, Purpose::Bind, Route::Citizen).nonce, c.nonce);
}

TEST_F(AuthFixture, TheSeedsFlowUnboundThenBindThenLogin) {
  const auto person = t.add_person(kId);
  auto s = presession();
  EXPECT_EQ(code_of([&] { auth.login(s, signed_for(s, Purpose::Login), Route::Citizen, client); }),
            codes::ACCOUNT_NOT_BOUND);
  EXPECT_EQ(last_audit_reason(), "ACCOUNT_NOT_BOUND");
  EXPECT_EQ(t.count("cert_bindings"), 0);

  auto bound = auth.bind(s, kId, signed_for(s, Purpose::Bind), Route::Citizen, client);
  EXPECT_EQ(bound.id, person);
  EXPECT_EQ(identity.calls, 1);
  auto binding = t.bindings.find_active(card().cert.issuer().to_string(), card().cert.serial_hex());
  ASSERT_TRUE(binding);
  EXPECT_EQ(binding->card_sn, "TP03200302000536");
  EXPECT_EQ(binding->subject_serial, "0000000112345678");

  LoginOutcome out = auth.login(s, signed_for(s, Purpose::Login), Route::Citizen, client);
  EXPECT_EQ(out.person.id, person);
  EXPECT_EQ(out.session.record.person_id, person);
  EXPECT_EQ(out.session.record.method, "citizen");
  EXPECT_NE(out.session.token, s.token);
  EXPECT_EQ(t.count("sessions"), 1);  // the pre-login session was replaced, not kept beside

  auto events = t.audit.read(0, 100);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[1].event.type, "bind.ok");
  EXPECT_EQ(events[2].event.type, "login.ok");
  EXPECT_EQ(events[2].event.cert_serial, card().cert.serial_hex());
  EXPECT_EQ(events[2].event.client_addr, "127.0.0.1");
  EXPECT_EQ(events[2].event.trace_id, "trace-1");
  EXPECT_TRUE(t.audit.verify().ok);
}

TEST_F(AuthFixture, ANonceWorksOnceOnlyInItsSessionForItsPurpose) {
  const std::int64_t person = t.add_person(kId);
  auto s = presession();
  auto package = signed_for(s, Purpose::Bind);
  auth.bind(s, kId, package, Route::Citizen, client);
  EXPECT_EQ(code_of([&] { auth.bind(s, kId, package, Route::Citizen, client); }), codes::NONCE_INVALID);

  auto for_bind = signed_for(s, Purpose::Bind);
  EXPECT_EQ(code_of([&] { auth.login(s, for_bind, Route::Citizen, client); }), codes::NONCE_INVALID);

  auto other = presession();
  auto stolen = signed_for(other, Purpose::Login);
  EXPECT_EQ(code_of([&] { auth.login(s, stolen, Route::Citizen, client); }), codes::NONCE_INVALID);
  // …and the attempt did not spend it: the session it was issued to still logs in with it, once.
  LoginOutcome out = auth.login(other, stolen, Route::Citizen, client);
  EXPECT_EQ(out.person.id, person);
  EXPECT_EQ(code_of([&] { auth.login(out.session, stolen, Route::Citizen, client); }), codes::NONCE_INVALID);
  EXPECT_EQ(t.count("sessions"), 2);
}

TEST_F(AuthFixture, ALoginOnAStaleRevocationAnswerIsAuditedAsSuch) {
  // The issuer accepts stale news on an outage (reuse_on_outage): OCSP is down and the only CRL is two hours
  // old. The login goes through, and the audit trail says how little was known.
  t.add_person(kId);
  auto s = presession();
  auth.bind(s, kId, signed_for(s, Purpose::Bind), Route::Citizen, client);
  pki::TrustConfig trust = testing::test_trust();
  trust.issuers[0].reuse_on_outage = true;
  testing::CrlOnlyFetcher stale_fetcher{&clock};
  stale_fetcher.crl_age = 2h;
  PkiCertificateCheck stale_check{trust, stale_fetcher, clock};
  CertificateLogin stale{AuthStores{t.nonces, t.bindings, t.people, t.audit},
                         sessions,
                         &stale_check,
                         {&citizen, &agency},
                         clock,
                         AuthSettings{origin, 5min},
                         log::Logger::to_stderr("test", log::Level::Error)};
  auto login_session = presession();
  stale.login(login_session,
              sign_package(card(), stale.challenge(login_session, Purpose::Login, Route::Citizen).tbs),
              Route::Citizen, client);
  auto records = t.audit.read(0, 100);
  ASSERT_FALSE(records.empty());
  EXPECT_EQ(records.back().event.type, "login.ok.revocation_stale");
  // Without that setting the same answer is refused.
  trust.issuers[0].reuse_on_outage = false;
  PkiCertificateCheck strict_check{trust, stale_fetcher, clock};
  CertificateLogin strict{AuthStores{t.nonces, t.bindings, t.people, t.audit},
                          sessions,
                          &strict_check,
                          {&citizen, &agency},
                          clock,
                          AuthSettings{origin, 5min},
                          log::Logger::to_stderr("test", log::Level::Error)};
  auto again = presession();
  EXPECT_EQ(code_of([&] {
              strict.login(again,
                           sign_package(card(), strict.challenge(again, Purpose::Login, Route::Citizen).tbs),
                           Route::Citizen, client);
            }),
            codes::CRL_UNAVAILABLE);
}

TEST_F(AuthFixture, AnExpiredNonceSaysSo) {
  t.add_person(kId);
  auto s = presession();
  auto package = signed_for(s, Purpose::Bind);
  clock.advance(5min + 1s);
  EXPECT_EQ(code_of([&] { auth.bind(s, kId, package, Route::Citizen, client); }), codes::NONCE_EXPIRED);
  EXPECT_EQ(t.count("cert_bindings"), 0);
  // Spent by that attempt: presented again it is no longer "expired" but unknown.
  EXPECT_EQ(code_of([&] { auth.bind(s, kId, package, Route::Citizen, client); }), codes::NONCE_INVALID);
}

TEST_F(AuthFixture, ExpiryIsToldByAnotherNodeThatNeverIssuedTheNonce) {
  // A second CertificateLogin over its own Database object on the same file: a second portal node with no
  // memory of the challenge. It must still say NONCE_EXPIRED, not NONCE_INVALID.
  t.add_person(kId);
  auto other_db = store::Database::open(t.url);
  store::SqlNonceStore other_nonces(*other_db);
  CertificateLogin other = auth_over(AuthStores{other_nonces, t.bindings, t.people, t.audit});
  auto s = presession();
  auto package = signed_for(s, Purpose::Bind);  // issued by `auth`
  clock.advance(5min);
  EXPECT_EQ(code_of([&] { other.bind(s, kId, package, Route::Citizen, client); }), codes::NONCE_EXPIRED);
  EXPECT_EQ(code_of([&] { auth.bind(s, kId, package, Route::Citizen, client); }), codes::NONCE_INVALID);
}

// Another writer holds the audit database's write lock (a real SQLite lock on a real file) until release().
class AuditDatabaseLock {
 public:
  explicit AuditDatabaseLock(const std::string& url) : db_(store::Database::open(url)) {
    std::promise<void> locked;
    auto held = locked.get_future();
    holder_ = std::thread([this, &locked] {
      bool holding = false;
      try {
        db_->transaction([&](store::Connection&) {  // BEGIN IMMEDIATE: the write lock is ours from here
          holding = true;
          locked.set_value();
          std::unique_lock lock(mutex_);
          wake_.wait(lock, [this] { return released_; });
          throw RollBack{};
        });
      } catch (const RollBack&) {
      } catch (...) {
        // Could not take the lock: the test must fail, not wait forever.
        if (!holding) locked.set_exception(std::current_exception());
      }
    });
    try {
      held.get();
    } catch (...) {
      holder_.join();
      throw;
    }
  }
  void release() {
    {
      std::lock_guard lock(mutex_);
      released_ = true;
    }
    wake_.notify_all();
    if (holder_.joinable()) holder_.join();
  }
  ~AuditDatabaseLock() { release(); }
  AuditDatabaseLock(const AuditDatabaseLock&) = delete;
  AuditDatabaseLock& operator=(const AuditDatabaseLock&) = delete;

 private:
  struct RollBack {};
  std::unique_ptr<store::Database> db_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool released_ = false;
  std::thread holder_;
};

TEST_F(AuthFixture, ALoginThatCannotBeAuditedDoesNotHappen) {
  const auto person = t.add_person(kId);
  auto s = presession();
  auth.bind(s, kId, signed_for(s, Purpose::Bind), Route::Citizen, client);

  SeparateAudit trail(*this);
  const std::string& audit_url = trail.url;
  store::SqlAuditLog& audit_log = trail.audit_log;
  CertificateLogin& audited = trail.auth;
  auto logged_in = [&] {
    return t.db->with_connection([](store::Connection& c) {
      return c.query_one("SELECT count(*) FROM sessions WHERE person_id IS NOT NULL")->i64(0);
    });
  };

  {
    AuditDatabaseLock lock(audit_url);
    auto package = sign_package(card(), audited.challenge(s, Purpose::Login, Route::Citizen).tbs);
    EXPECT_EQ(code_of([&] { audited.login(s, package, Route::Citizen, client); }), codes::AUDIT_UNAVAILABLE);
    EXPECT_EQ(logged_in(), 0);
    EXPECT_EQ(t.count("sessions"), 1);  // the pre-login session, untouched
    http::Request again;
    again.headers.set("Cookie", std::string(kSessionCookie) + "=" + s.token);
    auto still = sessions.current(again);
    ASSERT_TRUE(still);
    EXPECT_FALSE(still->record.person_id);
  }
  EXPECT_EQ(audit_log.read(0, 10).size(), 0u);

  // The same person, once the trail can be written again: logged in and recorded.
  LoginOutcome out =
      audited.login(s, sign_package(card(), audited.challenge(s, Purpose::Login, Route::Citizen).tbs),
                    Route::Citizen, client);
  EXPECT_EQ(out.person.id, person);
  EXPECT_EQ(logged_in(), 1);
  auto records = audit_log.read(0, 10);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].event.type, "login.ok");
  EXPECT_EQ(records[0].event.person_id, person);
  EXPECT_TRUE(audit_log.verify().ok);
}

TEST_F(AuthFixture, ABindingThatCannotBeAuditedDoesNotHappen) {
  const auto person = t.add_person(kId);
  SeparateAudit trail(*this);
  auto s = presession();
  {
    AuditDatabaseLock lock(trail.url);
    auto package = sign_package(card(), trail.auth.challenge(s, Purpose::Bind, Route::Citizen).tbs);
    EXPECT_EQ(code_of([&] { trail.auth.bind(s, kId, package, Route::Citizen, client); }),
              codes::AUDIT_UNAVAILABLE);
    EXPECT_EQ(t.count("cert_bindings"), 0);
  }
  EXPECT_EQ(trail.audit_log.read(0, 10).size(), 0u);

  auto bound = trail.auth.bind(
      s, kId, sign_package(card(), trail.auth.challenge(s, Purpose::Bind, Route::Citizen).tbs),
      Route::Citizen, client);
  EXPECT_EQ(bound.id, person);
  EXPECT_EQ(t.count("cert_bindings"), 1);
  auto records = trail.audit_log.read(0, 10);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].event.type, "bind.ok");
}

TEST_F(AuthFixture, ABindingRecordedButRefusedByTheStoreIsFollowedByItsFailure) {
  // Someone else's certificate: ID number, last four digits and the identity check all agree (scripted),
  // but the store refuses a certificate that is or was bound to another person.
  t.add_person(kId);
  const std::string other_id = "G111156789";  // same last four digits as the card
  t.add_person(other_id);
  auto s = presession();
  auth.bind(s, kId, signed_for(s, Purpose::Bind), Route::Citizen, client);
  EXPECT_EQ(code_of([&] { auth.bind(s, other_id, signed_for(s, Purpose::Bind), Route::Citizen, client); }),
            codes::CERT_ALREADY_BOUND);
  auto events = t.audit.read(0, 100);
  ASSERT_GE(events.size(), 2u);
  EXPECT_EQ(events[events.size() - 2].event.type, "bind.ok");
  EXPECT_EQ(events.back().event.type, "bind.failed");
  EXPECT_EQ(events.back().event.reason, "CERT_ALREADY_BOUND");
  EXPECT_EQ(t.count("cert_bindings"), 1);
  EXPECT_TRUE(t.audit.verify().ok);
}

TEST_F(AuthFixture, ARefusalStillAnswersWhenTheAuditCannotBeWritten) {
  // Refusals are recorded best effort: the person gets the real reason, not AUDIT_UNAVAILABLE.
  SeparateAudit trail(*this);
  auto s = presession();
  AuditDatabaseLock lock(trail.url);
  auto package = sign_package(card(), trail.auth.challenge(s, Purpose::Login, Route::Citizen).tbs);
  EXPECT_EQ(code_of([&] { trail.auth.login(s, package, Route::Citizen, client); }), codes::ACCOUNT_NOT_BOUND);
}

TEST_F(AuthFixture, ATextForAnotherSiteOrUnsignedJunkIsRefused) {
  auto s = presession();
  Challenge c = auth.challenge(s, Purpose::Login, Route::Citizen);
  auto foreign = sign_package(
      card(),
      pki::LoginText{"https://evil.example", Purpose::Login, pki::from_base64url(c.nonce)}.to_string());
  EXPECT_EQ(code_of([&] { auth.login(s, foreign, Route::Citizen, client); }), codes::TBS_MISMATCH);
  auto junk = sign_package(card(), "hello");
  EXPECT_EQ(code_of([&] { auth.login(s, junk, Route::Citizen, client); }), codes::TBS_MISMATCH);
  SignedPackage huge{std::string(20000, 'A'), "", ""};
  EXPECT_EQ(code_of([&] { auth.login(s, huge, Route::Citizen, client); }), codes::PACKAGE_TOO_LARGE);
  EXPECT_EQ(code_of([&] { auth.login(s, SignedPackage{}, Route::Citizen, client); }),
            codes::PACKAGE_MALFORMED);
  EXPECT_EQ(t.count("sessions"), 1);
}

TEST_F(AuthFixture, ValidatorErrorsPassThroughAndNothingIsWritten) {
  t.add_person(kId);
  fetcher.revoked.insert(card().cert.serial_hex());
  auto s = presession();
  EXPECT_EQ(code_of([&] { auth.bind(s, kId, signed_for(s, Purpose::Bind), Route::Citizen, client); }),
            codes::CERT_REVOKED);
  EXPECT_EQ(last_audit_reason(), "CERT_REVOKED");
  EXPECT_EQ(t.count("cert_bindings"), 0);
  EXPECT_EQ(identity.calls, 0);
}

TEST_F(AuthFixture, EveryBindingFailureHasItsOwnCode) {
  auto s = presession();
  // Before any signature is looked at: the ID number itself.
  EXPECT_EQ(code_of([&] { auth.bind(s, "", signed_for(s, Purpose::Bind), Route::Citizen, client); }),
            codes::NATIONAL_ID_EMPTY);
  EXPECT_EQ(code_of([&] { auth.bind(s, "A12345", signed_for(s, Purpose::Bind), Route::Citizen, client); }),
            codes::NATIONAL_ID_FORMAT);
  EXPECT_EQ(
      code_of([&] { auth.bind(s, "A123456788", signed_for(s, Purpose::Bind), Route::Citizen, client); }),
      codes::NATIONAL_ID_CHECKSUM);
  // A valid ID number whose last 4 digits are not the card's.
  EXPECT_EQ(
      code_of([&] { auth.bind(s, "A800000014", signed_for(s, Purpose::Bind), Route::Citizen, client); }),
      codes::ID_LAST4_MISMATCH);
  EXPECT_EQ(identity.calls, 0);
  identity.verdict = IdentityVerdict::NoMatch;
  EXPECT_EQ(code_of([&] { auth.bind(s, kId, signed_for(s, Purpose::Bind), Route::Citizen, client); }),
            codes::IDENTITY_CHECK_FAILED);
  identity.verdict = IdentityVerdict::NotActivated;
  EXPECT_EQ(code_of([&] { auth.bind(s, kId, signed_for(s, Purpose::Bind), Route::Citizen, client); }),
            codes::IDENTITY_CHECK_FAILED);
  identity.unavailable = true;
  EXPECT_EQ(code_of([&] { auth.bind(s, kId, signed_for(s, Purpose::Bind), Route::Citizen, client); }),
            codes::IDENTITY_CHECK_UNAVAILABLE);
  identity.unavailable = false;
  identity.verdict = IdentityVerdict::Match;
  // Everything checks out, but HR has no record of this person.
  EXPECT_EQ(code_of([&] { auth.bind(s, kId, signed_for(s, Purpose::Bind), Route::Citizen, client); }),
            codes::PERSON_NOT_FOUND);
  EXPECT_EQ(t.count("cert_bindings"), 0);
  EXPECT_EQ(t.count("people"), 0);
  for (const auto& r : t.audit.read(0, 100)) EXPECT_EQ(r.event.type, "bind.failed");
}

TEST_F(AuthFixture, ARenewedCardReplacesTheOldBindingWhichStaysAsHistory) {
  const auto person = t.add_person(kId);
  auto s = presession();
  auth.bind(s, kId, signed_for(s, Purpose::Bind), Route::Citizen, client);
  auto renewed = make_card(kId);
  auth.bind(s, kId, signed_for(s, Purpose::Bind, renewed), Route::Citizen, client);
  auto history = t.bindings.history(person);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_TRUE(history[0].replaced_at);
  EXPECT_FALSE(history[1].replaced_at);
  EXPECT_EQ(t.audit.read(0, 100).back().event.type, "bind.renewed");
  // The old card no longer logs in; the new one does.
  EXPECT_EQ(code_of([&] { auth.login(s, signed_for(s, Purpose::Login), Route::Citizen, client); }),
            codes::ACCOUNT_NOT_BOUND);
  EXPECT_EQ(auth.login(s, signed_for(s, Purpose::Login, renewed), Route::Citizen, client).person.id, person);
}

TEST_F(AuthFixture, ACertificateBoundToSomeoneElseIsRefused) {
  t.add_person(kId);
  t.add_person("B123456780", "李小華");
  auto s = presession();
  auth.bind(s, kId, signed_for(s, Purpose::Bind), Route::Citizen, client);
  // Same card, another person's ID number: the last 4 digits already differ…
  EXPECT_EQ(
      code_of([&] { auth.bind(s, "B123456780", signed_for(s, Purpose::Bind), Route::Citizen, client); }),
      codes::ID_LAST4_MISMATCH);
  EXPECT_EQ(t.count("cert_bindings"), 1);
}

TEST_F(AuthFixture, WithoutAValidatorNothingLogsIn) {
  CertificateLogin bare{AuthStores{t.nonces, t.bindings, t.people, t.audit},
                        sessions,
                        nullptr,
                        {&citizen},
                        clock,
                        AuthSettings{std::string(kOrigin), 5min},
                        log::Logger::to_stderr("test", log::Level::Error)};
  auto s = presession();
  auto package = sign_package(card(), bare.challenge(s, Purpose::Login, Route::Citizen).tbs);
  EXPECT_EQ(code_of([&] { bare.login(s, package, Route::Citizen, client); }), codes::VALIDATOR_UNAVAILABLE);
}

// 機關憑證 (issue 12): the agency card binds to the agency's personnel officer through the 機關代碼.
struct AgencyFixture : AuthFixture {
  static constexpr const char* kOid = "2.16.886.101.20003.20065";
  std::int64_t officer = 0;
  void SetUp() override {
    t.people.put_agencies(
        std::vector<store::Agency>{{"A58", "臺北市政府人事處", "", "", kOid},
                                   {"A59", "新北市政府人事處", "", "", "2.16.886.101.20003.20066"},
                                   {"A60", "桃園市政府人事處", "", "", "2.16.886.101.20003.20067"}});
    std::vector<store::PersonImportRow> rows{{"E202468132", "張雅婷", "A58", "人事專員", ""}};
    officer = *t.people.import_people(rows, store::ImportMode::AllOrNothing).rows[0].person_id;
    t.people.set_officer("A58", officer, clock.now());
  }
  static const crypto::testing::KeyAndCert& agency_card() {
    static const auto c = testing::make_agency_card(kOid);
    return c;
  }
  SignedPackage agency_signed(const ActiveSession& s, Purpose p,
                              const crypto::testing::KeyAndCert& c = agency_card()) {
    return sign_package(c, auth.challenge(s, p, Route::Agency).tbs);
  }
};

TEST_F(AgencyFixture, FirstLoginBindsTheCardToTheOfficerThenItLogsIn) {
  auto s = presession();
  EXPECT_EQ(code_of([&] { auth.login(s, agency_signed(s, Purpose::Login), Route::Agency, client); }),
            codes::ACCOUNT_NOT_BOUND);
  auto bound = auth.bind(s, " a58 ", agency_signed(s, Purpose::Bind), Route::Agency, client);
  EXPECT_EQ(bound.id, officer);
  EXPECT_EQ(identity.calls, 0);  // no ICSC for agency cards
  auto binding =
      t.bindings.find_active(agency_card().cert.issuer().to_string(), agency_card().cert.serial_hex());
  ASSERT_TRUE(binding);
  EXPECT_EQ(binding->method, store::BindingMethod::Agency);
  LoginOutcome out = auth.login(s, agency_signed(s, Purpose::Login), Route::Agency, client);
  EXPECT_EQ(out.person.id, officer);
  EXPECT_EQ(out.session.record.method, "agency");
  // The same card on the citizen route is refused by the validator.
  auto again = presession();
  EXPECT_EQ(code_of([&] {
              auth.login(
                  again,
                  sign_package(agency_card(), auth.challenge(again, Purpose::Login, Route::Citizen).tbs),
                  Route::Citizen, client);
            }),
            codes::CERT_WRONG_ROUTE);

  // A renewed card rebinds; the old binding stays as history and no longer logs in.
  const auto renewed = testing::make_agency_card(kOid);
  auth.bind(s, "A58", agency_signed(s, Purpose::Bind, renewed), Route::Agency, client);
  EXPECT_EQ(t.bindings.history(officer).size(), 2u);
  EXPECT_EQ(code_of([&] { auth.login(s, agency_signed(s, Purpose::Login), Route::Agency, client); }),
            codes::ACCOUNT_NOT_BOUND);
  EXPECT_EQ(auth.login(s, agency_signed(s, Purpose::Login, renewed), Route::Agency, client).person.id,
            officer);
  EXPECT_EQ(t.audit.read(0, 100).at(4).event.type, "bind.renewed");
  EXPECT_EQ(t.bindings.history(officer).size(), 2u);

  // HR names another officer: the card no longer opens the old one's account, and binds to the new one.
  std::vector<store::PersonImportRow> next{{"K123456788", "王大同", "A58", "人事主任", ""}};
  const auto successor = *t.people.import_people(next, store::ImportMode::AllOrNothing).rows[0].person_id;
  t.people.set_officer("A58", successor, clock.now());
  EXPECT_EQ(code_of([&] { auth.login(s, agency_signed(s, Purpose::Login, renewed), Route::Agency, client); }),
            codes::ACCOUNT_NOT_BOUND);
  EXPECT_EQ(auth.bind(s, "A58", agency_signed(s, Purpose::Bind, renewed), Route::Agency, client).id,
            successor);
  EXPECT_EQ(auth.login(s, agency_signed(s, Purpose::Login, renewed), Route::Agency, client).person.id,
            successor);

  // HR gives the agency another OID: its old cards no longer speak for its officer.
  t.people.put_agency({"A58", "臺北市政府人事處", "", "", "2.16.886.101.20003.29999"});
  EXPECT_EQ(code_of([&] { auth.login(s, agency_signed(s, Purpose::Login, renewed), Route::Agency, client); }),
            codes::AGENCY_OID_MISMATCH);
}

TEST_F(AgencyFixture, EveryAgencyBindingRefusalHasItsCodeAndWritesNothing) {
  auto s = presession();
  auto bind_with = [&](std::string_view code) {
    return code_of([&] { auth.bind(s, code, agency_signed(s, Purpose::Bind), Route::Agency, client); });
  };
  EXPECT_EQ(bind_with(""), codes::AGENCY_CODE_INVALID);
  EXPECT_EQ(bind_with("A5!8"), codes::AGENCY_CODE_INVALID);
  EXPECT_EQ(bind_with("Z99"), codes::AGENCY_UNKNOWN);
  EXPECT_EQ(bind_with("A59"), codes::AGENCY_OID_MISMATCH);  // another agency's code
  // One OID for two agencies is refused by the store.
  EXPECT_EQ(code_of([&] {
              t.people.put_agency({"A61", "無人事機關", "", "", kOid});
            }),
            codes::STORE_CONFLICT);
  // An agency whose OID is the card's but which has no officer yet.
  t.people.put_agency({"A58", "臺北市政府人事處", "", "", ""});
  t.people.put_agency({"A60", "桃園市政府人事處", "", "", kOid});
  EXPECT_EQ(bind_with("A60"), codes::AGENCY_NO_OFFICER);
  // A citizen card on the agency route never gets as far.
  EXPECT_EQ(code_of([&] {
              auth.bind(s, "A58", sign_package(card(), auth.challenge(s, Purpose::Bind, Route::Agency).tbs),
                        Route::Agency, client);
            }),
            codes::CERT_WRONG_ROUTE);
  EXPECT_EQ(t.count("cert_bindings"), 0);
  for (const auto& r : t.audit.read(0, 100)) EXPECT_EQ(r.event.type, "bind.failed");
}

}  // namespace
}  // namespace ecpa::portal
