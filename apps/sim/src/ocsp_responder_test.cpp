#include "ocsp_responder.hpp"

#include <gtest/gtest.h>

#include "ecpa/crypto/ocsp.hpp"
#include "sim_test_support.hpp"

namespace ecpa::sim {
namespace {

using namespace std::chrono_literals;
using crypto::CertStatus;
using crypto::OcspResponse;
using crypto::OcspResponseStatus;
using testing::kPinnedNow;
using testing::shared_pki;

struct Fixture {
  testing::SoftCard good = testing::soft_citizen(shared_pki().ca("moica"));
  testing::SoftCard revoked = testing::soft_citizen(shared_pki().ca("moica"));
  testing::SoftCard stranger = testing::soft_citizen(shared_pki().ca("moica"));  // never registered
  testing::SoftCard agency = testing::soft_citizen(shared_pki().ca("gca"));
  RegistryData registry;
  Fixture() {
    registry.cards.push_back(testing::card_with("TP00000000000001", "A123456789", "1", good.cert));
    auto r = testing::card_with("TP00000000000002", "A123456789", "1", revoked.cert);
    r.certs[0].revoked_at = kPinnedNow - 1h;
    r.certs[0].reason = crypto::RevocationReason::KeyCompromise;
    registry.cards.push_back(r);
    registry.cards.push_back(testing::card_with("GC00000000000001", "X", "2", agency.cert, "gca"));
  }
};
const Fixture& fx() {
  static Fixture f;
  return f;
}

crypto::CertId id_of(const crypto::Certificate& c, const std::string& ca = "moica") {
  return crypto::make_cert_id(c, shared_pki().ca(ca).cert);
}

OcspResponse ask(const std::vector<crypto::CertId>& ids, const Faults& faults = {},
                 std::string_view ca = "moica", crypto::Bytes* nonce_out = nullptr) {
  ManualClock clock(kPinnedNow);
  OcspResponder responder(shared_pki(), clock);
  crypto::OcspRequestBuilder b;
  for (const auto& id : ids) b.add(id);
  auto req = b.build();
  if (nonce_out != nullptr) *nonce_out = *b.nonce_value();
  return OcspResponse::from_der(responder.respond(req, fx().registry, faults, ca));
}

TEST(OcspResponder, GoodRevokedUnknown) {
  crypto::Bytes nonce;
  auto resp =
      ask({id_of(fx().good.cert), id_of(fx().revoked.cert), id_of(fx().stranger.cert)}, {}, "moica", &nonce);
  ASSERT_TRUE(resp.successful());
  EXPECT_EQ(resp.find(id_of(fx().good.cert))->status, CertStatus::Good);
  auto r = resp.find(id_of(fx().revoked.cert));
  EXPECT_EQ(r->status, CertStatus::Revoked);
  EXPECT_EQ(r->revoked_at, kPinnedNow - 1h);
  EXPECT_EQ(r->reason, crypto::RevocationReason::KeyCompromise);
  EXPECT_EQ(resp.find(id_of(fx().stranger.cert))->status, CertStatus::Unknown);
  EXPECT_EQ(resp.nonce(), nonce);
  EXPECT_EQ(resp.produced_at(), kPinnedNow);
  auto g = resp.find(id_of(fx().good.cert));
  EXPECT_EQ(g->this_update, kPinnedNow);
  EXPECT_EQ(g->next_update, kPinnedNow + 1h);
  const auto& signer = *shared_pki().ca("moica").ocsp_cert;
  EXPECT_TRUE(resp.signed_by(signer));
  EXPECT_TRUE(resp.responder_id_matches(signer));
  ASSERT_EQ(resp.certs().size(), 1u);
  EXPECT_EQ(resp.certs()[0], signer);
}

TEST(OcspResponder, AnyCaEndpointPicksTheIssuer) {
  auto resp = ask({id_of(fx().agency.cert, "gca")}, {}, "");
  ASSERT_TRUE(resp.successful());
  EXPECT_EQ(resp.responses()[0].status, CertStatus::Good);
  EXPECT_TRUE(resp.signed_by(*shared_pki().ca("gca").ocsp_cert));
}

TEST(OcspResponder, MalformedRequest) {
  ManualClock clock(kPinnedNow);
  OcspResponder responder(shared_pki(), clock);
  for (const crypto::Bytes& junk : {crypto::Bytes{}, crypto::to_bytes("hello"), crypto::random_bytes(300)}) {
    auto resp = OcspResponse::from_der(responder.respond(junk, fx().registry, {}, "moica"));
    EXPECT_EQ(resp.status(), OcspResponseStatus::MalformedRequest);
  }
  std::vector<crypto::CertId> many(OcspResponder::kMaxCertIds + 1, id_of(fx().good.cert));
  EXPECT_EQ(ask(many).status(), OcspResponseStatus::MalformedRequest);
}

TEST(OcspResponder, UnknownIssuerIsUnauthorized) {
  // The gca certificate asked at the moica endpoint, a root-issued ID, and a mix of two CAs.
  EXPECT_EQ(ask({id_of(fx().agency.cert, "gca")}).status(), OcspResponseStatus::Unauthorized);
  auto by_root = crypto::make_cert_id(shared_pki().ca("moica").cert, shared_pki().root().cert);
  EXPECT_EQ(ask({by_root}, {}, "").status(), OcspResponseStatus::Unauthorized);
  EXPECT_EQ(ask({id_of(fx().good.cert), id_of(fx().agency.cert, "gca")}, {}, "").status(),
            OcspResponseStatus::Unauthorized);
}

TEST(OcspResponder, FaultStale) {
  Faults f;
  f.stale = true;
  auto resp = ask({id_of(fx().good.cert)}, f);
  auto s = resp.responses()[0];
  EXPECT_EQ(s.this_update, kPinnedNow - 48h);
  EXPECT_EQ(s.next_update, kPinnedNow - 24h);
}

TEST(OcspResponder, FaultWrongSigner) {
  Faults f;
  f.wrong_signer = true;
  auto resp = ask({id_of(fx().good.cert)}, f);
  EXPECT_FALSE(resp.signed_by(*shared_pki().ca("moica").ocsp_cert));
  EXPECT_TRUE(resp.signed_by(shared_pki().rogue_cert()));
}

TEST(OcspResponder, FaultNoNonce) {
  Faults f;
  f.no_nonce = true;
  EXPECT_FALSE(ask({id_of(fx().good.cert)}, f).nonce());
}

TEST(OcspResponder, FaultGarbageAndTryLater) {
  ManualClock clock(kPinnedNow);
  OcspResponder responder(shared_pki(), clock);
  auto req = crypto::OcspRequestBuilder().add(id_of(fx().good.cert)).build();
  Faults f;
  f.garbage = true;
  EXPECT_THROW(OcspResponse::from_der(responder.respond(req, fx().registry, f, "moica")), Error);
  Faults t;
  t.try_later = true;
  EXPECT_EQ(OcspResponse::from_der(responder.respond(req, fx().registry, t, "moica")).status(),
            OcspResponseStatus::TryLater);
}

}  // namespace
}  // namespace ecpa::sim
