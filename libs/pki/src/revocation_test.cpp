#include "ecpa/pki/revocation.hpp"

#include <gtest/gtest.h>

#include "ecpa/common/error.hpp"
#include "ecpa/crypto/testing/expect_error.hpp"
#include "test_support.hpp"

namespace ecpa::pki {
namespace {

using namespace testing;
using namespace std::chrono_literals;

struct RevocationTest : ::testing::Test {
  const Hierarchy& h = Hierarchy::shared();
  KeyAndCert card = make_card(h.moica);
  Authority authority{h.moica};
  ManualClock clock{kPinnedNow};
  TrustConfig config = default_trust();
  IssuerSettings settings = config.issuers[0];
  RevocationChecker checker{authority, clock, 100, 4};

  RevocationResult check() { return checker.check(card.cert, h.moica.cert, settings, config); }
  void expect_code(ErrorCode code) {
    crypto::testing::expect_error(code, [&] { check(); });
  }
};

TEST_F(RevocationTest, AGoodAnswerIsReusedForTheWindowOnly) {
  EXPECT_EQ(settings.ocsp_reuse, 60s);  // the documented default (docs/portal.md)
  EXPECT_EQ(check().source, RevocationSource::Ocsp);
  clock.advance(59s);
  EXPECT_EQ(check().source, RevocationSource::OcspCached);
  EXPECT_EQ(authority.ocsp_calls, 1);
  clock.advance(1s);  // 60 s after the question: asked again, although nextUpdate is hours away
  authority.now = clock.now();
  EXPECT_EQ(check().source, RevocationSource::Ocsp);
  EXPECT_EQ(authority.ocsp_calls, 2);
  EXPECT_EQ(check().source, RevocationSource::OcspCached);  // the window starts again from this answer
}

TEST_F(RevocationTest, NeverReusedPastNextUpdateWhateverTheWindow) {
  settings.ocsp_reuse = std::chrono::hours(24);
  authority.next_update_offset = 30s;
  EXPECT_EQ(check().source, RevocationSource::Ocsp);
  clock.advance(29s);
  EXPECT_EQ(check().source, RevocationSource::OcspCached);
  clock.advance(1s);
  EXPECT_EQ(check().source, RevocationSource::Ocsp);
  EXPECT_EQ(authority.ocsp_calls, 2);
}

TEST_F(RevocationTest, ARevocationAtTheCaIsSeenOnceTheWindowEnds) {
  EXPECT_EQ(check().source, RevocationSource::Ocsp);
  authority.revoked = {card.cert.serial_hex()};  // revoked at the CA, a second after the good answer
  clock.advance(1s);
  EXPECT_EQ(check().source, RevocationSource::OcspCached);  // the documented window: at most 60 s
  clock.advance(60s);
  authority.now = clock.now();
  expect_code(codes::CERT_REVOKED);
  // The refusal dropped the good answer: no window brings it back.
  authority.revoked.clear();
  EXPECT_FALSE(
      checker.answers().find(good_answer_key(crypto::make_cert_id(card.cert, h.moica.cert)), clock.now()));
}

TEST_F(RevocationTest, AZeroWindowAsksOnEveryLogin) {
  settings.ocsp_reuse = 0s;
  EXPECT_EQ(check().source, RevocationSource::Ocsp);
  EXPECT_EQ(check().source, RevocationSource::Ocsp);
  EXPECT_EQ(authority.ocsp_calls, 2);
  authority.revoked = {card.cert.serial_hex()};
  expect_code(codes::CERT_REVOKED);  // the very next login
}

TEST_F(RevocationTest, ResponderDownAfterTheWindowFailsClosed) {
  settings.crl_fallback = false;
  EXPECT_EQ(check().source, RevocationSource::Ocsp);
  authority.ocsp_transport[kOcspUrl] = Authority::Transport::Refused;
  clock.advance(30s);
  EXPECT_EQ(check().source, RevocationSource::OcspCached);
  clock.advance(31s);
  expect_code(codes::OCSP_UNAVAILABLE);
  // Explicitly configured otherwise: the last good answer stands until its nextUpdate, flagged.
  settings.reuse_on_outage = true;
  EXPECT_EQ(check().source, RevocationSource::OcspCachedOnOutage);
  clock.advance(4h);
  expect_code(codes::OCSP_UNAVAILABLE);
}

TEST_F(RevocationTest, ReuseOnOutageNeverCoversARevokedAnswer) {
  settings.reuse_on_outage = true;
  EXPECT_EQ(check().source, RevocationSource::Ocsp);
  clock.advance(61s);
  authority.now = clock.now();
  authority.revoked = {card.cert.serial_hex()};
  expect_code(codes::CERT_REVOKED);
  authority.ocsp_transport[kOcspUrl] = Authority::Transport::Refused;
  authority.crl_transport[kCrlUrl] = Authority::Transport::Refused;
  expect_code(codes::CRL_UNAVAILABLE);  // nothing good is remembered any more
}

TEST_F(RevocationTest, ANewerCrlListingTheCardDropsTheGoodAnswer) {
  settings.ocsp_reuse = std::chrono::hours(3);
  EXPECT_EQ(check().source, RevocationSource::Ocsp);
  // Another card of the same CA goes through CRL fallback later; that CRL (issued after the good answer:
  // the authority dates its CRLs an hour back) lists our card.
  clock.advance(2h);
  authority.now = clock.now();
  authority.revoked = {card.cert.serial_hex()};
  KeyAndCert other = make_card(h.moica);
  authority.ocsp_transport[kOcspUrl] = Authority::Transport::Refused;
  EXPECT_EQ(checker.check(other.cert, h.moica.cert, settings, config).source, RevocationSource::Crl);
  authority.ocsp_transport.clear();
  const int asked = authority.ocsp_calls;
  expect_code(codes::CERT_REVOKED);
  EXPECT_EQ(authority.ocsp_calls, asked);  // known from the held CRL, without a question
}

TEST_F(RevocationTest, AnOlderCrlDoesNotOverruleALaterGoodAnswer) {
  settings.ocsp_reuse = std::chrono::hours(1);
  authority.revoked = {card.cert.serial_hex()};
  KeyAndCert other = make_card(h.moica);
  authority.ocsp_transport[kOcspUrl] = Authority::Transport::Refused;
  EXPECT_EQ(checker.check(other.cert, h.moica.cert, settings, config).source, RevocationSource::Crl);
  // The CA then lifts the hold; OCSP says good, after the CRL was issued.
  authority.ocsp_transport.clear();
  authority.revoked.clear();
  clock.advance(10s);
  authority.now = clock.now();
  EXPECT_EQ(check().source, RevocationSource::Ocsp);
  EXPECT_EQ(check().source, RevocationSource::OcspCached);
}

TEST_F(RevocationTest, AStaleCrlIsNoFreshAnswer) {
  // OCSP does not answer; the CRL was issued an hour ago and does not list the card. It says nothing about
  // the last hour, so by default the login fails closed, as with no answer at all.
  authority.ocsp_transport[kOcspUrl] = Authority::Transport::TryLater;
  expect_code(codes::CRL_UNAVAILABLE);
  settings.reuse_on_outage = true;  // explicitly configured otherwise: accepted, flagged as stale
  EXPECT_EQ(check().source, RevocationSource::CrlOnOutage);
  // The held CRL is asked for again once the window has passed since it was fetched: a newer one counts.
  settings.reuse_on_outage = false;
  authority.crl_this_update_offset = -5s;
  clock.advance(61s);
  authority.now = clock.now();
  EXPECT_EQ(check().source, RevocationSource::Crl);
  EXPECT_EQ(authority.crl_calls, 2);
}

TEST_F(RevocationTest, AnOldAnswerCannotStretchTheWindow) {
  // A responder answer whose thisUpdate is older than the window plus the allowed skew (a replayed
  // pre-signed answer, or a node whose clock runs ahead wrote checked_at) is never reused.
  authority.this_update_offset = -400s;
  EXPECT_EQ(check().source, RevocationSource::Ocsp);
  EXPECT_EQ(check().source, RevocationSource::Ocsp);
  EXPECT_EQ(authority.ocsp_calls, 2);
  // An answer that claims to have been asked for in the future (a clock set back) is not reused either.
  OcspCache shared(10);
  RevocationChecker node{authority, clock, 10, 4, &shared};
  authority.this_update_offset = -1s;
  const auto key = good_answer_key(crypto::make_cert_id(card.cert, h.moica.cert));
  shared.put(key, GoodAnswer{clock.now() + 30s, clock.now() - 1s, clock.now() + 1h});
  EXPECT_EQ(node.check(card.cert, h.moica.cert, settings, config).source, RevocationSource::Ocsp);
}

// A cache that has gone away (a database that cannot be reached): below the real store, for a fault it
// cannot produce on demand.
struct BrokenCache : GoodAnswerCache {
  std::optional<GoodAnswer> find(const std::string&, TimePoint) override { throw std::runtime_error("down"); }
  void put(const std::string&, const GoodAnswer&) override { throw std::runtime_error("down"); }
  void forget(const std::string&, TimePoint) override { throw std::runtime_error("down"); }
};

TEST_F(RevocationTest, ACacheThatFailsCostsOnlyAQuestion) {
  BrokenCache broken;
  RevocationChecker node{authority, clock, 10, 4, &broken};
  EXPECT_EQ(node.check(card.cert, h.moica.cert, settings, config).source, RevocationSource::Ocsp);
  EXPECT_EQ(node.check(card.cert, h.moica.cert, settings, config).source, RevocationSource::Ocsp);
  authority.revoked = {card.cert.serial_hex()};
  crypto::testing::expect_error(codes::CERT_REVOKED,
                                [&] { node.check(card.cert, h.moica.cert, settings, config); });
}

TEST_F(RevocationTest, NothingIsRememberedWhenNothingMayReuseIt) {
  settings.ocsp_reuse = 0s;
  EXPECT_EQ(check().source, RevocationSource::Ocsp);
  EXPECT_FALSE(
      checker.answers().find(good_answer_key(crypto::make_cert_id(card.cert, h.moica.cert)), clock.now()));
}

TEST_F(RevocationTest, ASharedCacheCarriesOneNodesRevocationToAnother) {
  // Two checkers (two portal nodes) over one cache: what one learns, the other stops reusing at once.
  OcspCache shared(100);
  RevocationChecker node_a{authority, clock, 100, 4, &shared};
  RevocationChecker node_b{authority, clock, 100, 4, &shared};
  settings.ocsp_reuse = std::chrono::hours(1);
  EXPECT_EQ(node_a.check(card.cert, h.moica.cert, settings, config).source, RevocationSource::Ocsp);
  EXPECT_EQ(node_b.check(card.cert, h.moica.cert, settings, config).source, RevocationSource::OcspCached);
  // Node A asks with a zero window (another issuer setting or a bind) and hears "revoked".
  authority.revoked = {card.cert.serial_hex()};
  IssuerSettings ask_now = settings;
  ask_now.ocsp_reuse = 0s;
  crypto::testing::expect_error(codes::CERT_REVOKED,
                                [&] { node_a.check(card.cert, h.moica.cert, ask_now, config); });
  crypto::testing::expect_error(codes::CERT_REVOKED,
                                [&] { node_b.check(card.cert, h.moica.cert, settings, config); });
}

TEST_F(RevocationTest, RevokedAndUnknownAreRefusedAndNotCached) {
  authority.revoked = {card.cert.serial_hex()};
  expect_code(codes::CERT_REVOKED);
  expect_code(codes::CERT_REVOKED);
  EXPECT_EQ(authority.ocsp_calls, 2);
  authority.revoked.clear();
  authority.unknown = {card.cert.serial_hex()};
  expect_code(codes::CERT_STATUS_UNKNOWN);
}

TEST_F(RevocationTest, FallsBackToTheNextResponder) {
  settings.ocsp_urls = {"http://127.0.0.1:1/down", "http://127.0.0.1:1/404", "http://127.0.0.1:1/slow",
                        kOcspUrl};
  authority.ocsp_transport = {{"http://127.0.0.1:1/down", Authority::Transport::Refused},
                              {"http://127.0.0.1:1/404", Authority::Transport::NotFound},
                              {"http://127.0.0.1:1/slow", Authority::Transport::Timeout}};
  auto r = check();
  EXPECT_EQ(r.source, RevocationSource::Ocsp);
  EXPECT_EQ(r.url, kOcspUrl);
  EXPECT_EQ(authority.ocsp_calls, 4);
}

TEST_F(RevocationTest, AWrongAnswerStopsAtOnce) {
  settings.ocsp_urls = {kOcspUrl, "http://127.0.0.1:1/second"};
  authority.corrupt_signature = true;
  expect_code(codes::OCSP_INVALID);
  EXPECT_EQ(authority.ocsp_calls, 1);
  EXPECT_EQ(authority.crl_calls, 0);
}

TEST_F(RevocationTest, CrlFallbackWhenNoResponderAnswers) {
  authority.ocsp_transport[kOcspUrl] = Authority::Transport::Timeout;
  authority.crl_this_update_offset = -10s;  // a CRL issued within the window: fresh news
  EXPECT_EQ(check().source, RevocationSource::Crl);
  authority.revoked = {card.cert.serial_hex()};
  clock.advance(25h);  // the held CRL expired: fetched again, now listing the card
  authority.now = clock.now();
  expect_code(codes::CERT_REVOKED);
  EXPECT_EQ(authority.crl_calls, 2);
}

TEST_F(RevocationTest, TryLaterAndGarbageAreSkipped) {
  authority.crl_this_update_offset = -10s;
  authority.ocsp_transport[kOcspUrl] = Authority::Transport::TryLater;
  EXPECT_EQ(check().source, RevocationSource::Crl);
  authority.ocsp_transport[kOcspUrl] = Authority::Transport::Garbage;
  settings.crl_fallback = false;
  expect_code(codes::OCSP_INVALID);
}

TEST_F(RevocationTest, BadCrlIsRefused) {
  authority.ocsp_transport[kOcspUrl] = Authority::Transport::Refused;
  authority.crl_signed_by_stranger = true;
  expect_code(codes::CRL_INVALID);
  authority.crl_signed_by_stranger = false;
  authority.crl_next_update = -1h;  // published already expired
  expect_code(codes::CRL_INVALID);
}

TEST_F(RevocationTest, FailClosedUnlessConfigured) {
  authority.ocsp_transport[kOcspUrl] = Authority::Transport::Refused;
  authority.crl_transport[kCrlUrl] = Authority::Transport::NotFound;
  expect_code(codes::CRL_UNAVAILABLE);
  settings.crl_fallback = false;
  expect_code(codes::OCSP_UNAVAILABLE);
  settings.fail_open = true;
  EXPECT_EQ(check().source, RevocationSource::FailOpen);
}

TEST_F(RevocationTest, FailOpenNeverCoversANegativeOrBadAnswer) {
  settings.fail_open = true;
  authority.revoked = {card.cert.serial_hex()};
  expect_code(codes::CERT_REVOKED);
  authority.revoked.clear();
  authority.nonce = Authority::Nonce::Other;
  expect_code(codes::OCSP_NONCE_MISMATCH);
}

}  // namespace
}  // namespace ecpa::pki
