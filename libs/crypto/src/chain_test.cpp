#include "ecpa/crypto/chain.hpp"

#include <gtest/gtest.h>

#include "ecpa/crypto/certificate_builder.hpp"
#include "ecpa/crypto/testing/expect_error.hpp"
#include "ecpa/crypto/testing/test_pki.hpp"

namespace ecpa::crypto {
namespace {

using namespace std::chrono_literals;
using testing::kPinnedNow;

const testing::CitizenPki& pki() { return testing::shared_pki(); }
// A second hierarchy that nothing trusts.
const testing::CitizenPki& stranger() {
  static const testing::CitizenPki p("Stranger Root");
  return p;
}

void expect_untrusted(const TrustStore& store, const Certificate& leaf, TimePoint at) {
  testing::expect_error(codes::CERT_UNTRUSTED, [&] { store.verify(leaf, at); });
}

TEST(TrustStore, BuildsThePathToAConfiguredAnchor) {
  TrustStore store({pki().root.cert}, {pki().ca.cert});
  auto path = store.verify(pki().leaf.cert, kPinnedNow);
  ASSERT_EQ(path.size(), 3u);
  EXPECT_EQ(path[0], pki().leaf.cert);
  EXPECT_EQ(path[1], pki().ca.cert);
  EXPECT_EQ(path[2], pki().root.cert);
  // The CA objects are the configured ones, not re-parsed copies.
  EXPECT_EQ(path[1].native(), pki().ca.cert.native());
}

TEST(TrustStore, RefusesAnotherHierarchy) {
  TrustStore store({pki().root.cert}, {pki().ca.cert, stranger().ca.cert});
  expect_untrusted(store, stranger().leaf.cert, kPinnedNow);
}

TEST(TrustStore, RefusesWithoutTheIntermediate) {
  TrustStore store({pki().root.cert}, {});
  expect_untrusted(store, pki().leaf.cert, kPinnedNow);
}

TEST(TrustStore, AnIntermediateIsNotAnAnchor) {
  // Configuring only the issuing CA as a candidate must not make it trusted.
  TrustStore store({stranger().root.cert}, {pki().ca.cert});
  expect_untrusted(store, pki().leaf.cert, kPinnedNow);
}

TEST(TrustStore, RefusesAnExpiredIntermediateButLeavesTheLeafWindowToTheCaller) {
  TrustStore store({pki().root.cert}, {pki().ca.cert});
  // The leaf expires at kPinnedNow + 730 days, the CA at + 3000 days.
  EXPECT_NO_THROW(store.verify(pki().leaf.cert, kPinnedNow + 800 * 24h));
  expect_untrusted(store, pki().leaf.cert, kPinnedNow + 3100 * 24h);
}

TEST(TrustStore, RefusesALeafSignedWithAnotherKey) {
  // Same issuer name, different key: a forgery that names the real CA.
  auto forged = CertificateBuilder()
                    .subject(pki().leaf.cert.subject())
                    .public_key(pki().leaf.key.public_key())
                    .validity(kPinnedNow - 24h, kPinnedNow + 24h)
                    .key_usage({.digital_signature = true})
                    .sign(stranger().ca.cert, stranger().ca.key);
  TrustStore store({pki().root.cert}, {pki().ca.cert});
  expect_untrusted(store, forged, kPinnedNow);
}

TEST(CertificateSignedBy, ChecksTheIssuerKey) {
  EXPECT_TRUE(certificate_signed_by(pki().leaf.cert, pki().ca.cert.public_key()));
  EXPECT_FALSE(certificate_signed_by(pki().leaf.cert, stranger().ca.cert.public_key()));
}

}  // namespace
}  // namespace ecpa::crypto
