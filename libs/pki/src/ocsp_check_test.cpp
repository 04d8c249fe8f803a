#include "ecpa/pki/ocsp_check.hpp"

#include <gtest/gtest.h>

#include "ecpa/common/error.hpp"
#include "ecpa/crypto/testing/expect_error.hpp"
#include "test_support.hpp"

namespace ecpa::pki {
namespace {

using namespace testing;
using namespace std::chrono_literals;

struct OcspCheckTest : ::testing::Test {
  const Hierarchy& h = Hierarchy::shared();
  KeyAndCert card = make_card(h.moica);
  Authority authority{h.moica};
  OcspPolicy policy;
  crypto::CertId id = crypto::make_cert_id(card.cert, h.moica.cert);

  // Sends a real request through the authority and judges the answer.
  OcspVerdict ask(crypto::TimePoint now = kPinnedNow) {
    crypto::OcspRequestBuilder b;
    b.add(id);
    auto request = b.build();
    auto response = crypto::OcspResponse::from_der(authority.fetch(kOcspUrl, request, 1s));
    return judge_ocsp_response(response, id, b.nonce_value(), h.moica.cert, policy, now);
  }
  void expect_code(ErrorCode code) {
    crypto::testing::expect_error(code, [&] { ask(); });
  }
};

TEST_F(OcspCheckTest, GoodAnswerFromTheIssuer) {
  auto v = ask();
  EXPECT_EQ(v.status, crypto::CertStatus::Good);
  EXPECT_EQ(v.next_update, kPinnedNow + 4h);
}

TEST_F(OcspCheckTest, ReportsRevokedAndUnknown) {
  authority.revoked = {card.cert.serial_hex()};
  EXPECT_EQ(ask().status, crypto::CertStatus::Revoked);
  authority.revoked.clear();
  authority.unknown = {card.cert.serial_hex()};
  EXPECT_EQ(ask().status, crypto::CertStatus::Unknown);
}

TEST_F(OcspCheckTest, AcceptsADelegatedResponder) {
  authority.signer = Authority::Signer::Delegated;
  EXPECT_EQ(ask().status, crypto::CertStatus::Good);
}

TEST_F(OcspCheckTest, RefusesAResponderTheCaDidNotDelegate) {
  authority.signer = Authority::Signer::Undelegated;  // issued by the CA, but no id-kp-OCSPSigning
  expect_code(codes::OCSP_RESPONDER_UNAUTHORISED);
  authority.signer = Authority::Signer::Pinned;  // self-signed stranger, not pinned
  expect_code(codes::OCSP_RESPONDER_UNAUTHORISED);
}

TEST_F(OcspCheckTest, AcceptsThePinnedResponder) {
  authority.signer = Authority::Signer::Pinned;
  policy.pinned_responder = authority.pinned_responder().cert;
  EXPECT_EQ(ask().status, crypto::CertStatus::Good);
}

TEST_F(OcspCheckTest, RefusesABadSignature) {
  authority.corrupt_signature = true;
  expect_code(codes::OCSP_INVALID);
}

TEST_F(OcspCheckTest, NonceMustBeEchoed) {
  authority.nonce = Authority::Nonce::Omit;
  expect_code(codes::OCSP_NONCE_MISMATCH);
  authority.nonce = Authority::Nonce::Other;
  expect_code(codes::OCSP_NONCE_MISMATCH);
  // A responder configured not to need one may omit it, but never send a wrong one.
  policy.require_nonce = false;
  expect_code(codes::OCSP_NONCE_MISMATCH);
  authority.nonce = Authority::Nonce::Omit;
  EXPECT_EQ(ask().status, crypto::CertStatus::Good);
}

TEST_F(OcspCheckTest, RefusesTwoResponsesOrAnotherCertificate) {
  authority.two_responses = true;
  expect_code(codes::OCSP_INVALID);
  authority.two_responses = false;
  authority.answer_for_other_serial = true;
  expect_code(codes::OCSP_INVALID);
}

TEST_F(OcspCheckTest, TimeWindows) {
  authority.this_update_offset = 10min;  // beyond the 5-minute skew
  expect_code(codes::OCSP_STALE);
  authority.this_update_offset = 4min;  // within it
  EXPECT_EQ(ask().status, crypto::CertStatus::Good);
  authority.this_update_offset = -25h;  // older than max_age (24 h)
  authority.next_update_offset = 48h;
  expect_code(codes::OCSP_STALE);
  authority.this_update_offset = -2h;
  authority.next_update_offset = -1h;  // nextUpdate passed
  expect_code(codes::OCSP_STALE);
  authority.next_update_offset.reset();  // none: allowed, bounded by max_age
  EXPECT_EQ(ask().status, crypto::CertStatus::Good);
}

TEST_F(OcspCheckTest, DelegationRules) {
  EXPECT_TRUE(is_delegated_responder(authority.delegated_responder().cert, h.moica.cert, kPinnedNow));
  // Valid only within its own window.
  EXPECT_FALSE(
      is_delegated_responder(authority.delegated_responder().cert, h.moica.cert, kPinnedNow + 400 * 24h));
  // Delegated by MOICA, not by GCA (another CA, other name).
  EXPECT_FALSE(is_delegated_responder(authority.delegated_responder().cert, h.gca.cert, kPinnedNow));
  // Same CA name, another key (stranger_ca): not issued by this CA's key.
  EXPECT_FALSE(is_delegated_responder(authority.delegated_responder().cert, h.stranger_ca.cert, kPinnedNow));
}

}  // namespace
}  // namespace ecpa::pki
