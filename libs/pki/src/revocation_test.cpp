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

TEST_F(RevocationTest, GoodByOcspThenFromTheCacheUntilNextUpdate) {
  EXPECT_EQ(check().source, RevocationSource::Ocsp);
  EXPECT_EQ(check().source, RevocationSource::OcspCached);
  EXPECT_EQ(authority.ocsp_calls, 1);
  clock.advance(4h);  // nextUpdate reached
  EXPECT_EQ(check().source, RevocationSource::Ocsp);
  EXPECT_EQ(authority.ocsp_calls, 2);
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
  EXPECT_EQ(check().source, RevocationSource::Crl);
  authority.revoked = {card.cert.serial_hex()};
  clock.advance(25h);  // the held CRL expired: fetched again, now listing the card
  authority.now = clock.now();
  expect_code(codes::CERT_REVOKED);
  EXPECT_EQ(authority.crl_calls, 2);
}

TEST_F(RevocationTest, TryLaterAndGarbageAreSkipped) {
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
