#include "crl_publisher.hpp"

#include <gtest/gtest.h>

#include "sim_test_support.hpp"

namespace ecpa::sim {
namespace {

using namespace std::chrono_literals;
using testing::kPinnedNow;
using testing::shared_pki;

TEST(CrlPublisher, ListsRevokedCertificatesOfThatCaOnly) {
  auto a = testing::soft_citizen(shared_pki().ca("moica"));
  auto b = testing::soft_citizen(shared_pki().ca("moica"));
  auto g = testing::soft_citizen(shared_pki().ca("gca"));
  RegistryData reg;
  reg.revision = 5;
  reg.cards.push_back(testing::card_with("TP1", "A123456789", "1", a.cert));
  reg.cards.push_back(testing::card_with("TP2", "A123456789", "1", b.cert));
  reg.cards.push_back(testing::card_with("GC1", "X", "2", g.cert, "gca"));
  reg.cards[0].certs[0].revoked_at = kPinnedNow - 1h;
  reg.cards[0].certs[0].reason = crypto::RevocationReason::Superseded;
  reg.cards[2].certs[0].revoked_at = kPinnedNow - 1h;
  ManualClock clock(kPinnedNow);
  CrlPublisher pub(shared_pki(), clock);
  auto crl = crypto::Crl::from_der(pub.crl_der("moica", reg));
  EXPECT_EQ(crl.size(), 1u);
  ASSERT_TRUE(crl.find(a.cert.serial_hex()));
  EXPECT_EQ(crl.find(a.cert.serial_hex())->reason, crypto::RevocationReason::Superseded);
  EXPECT_FALSE(crl.find(b.cert.serial_hex()));
  EXPECT_FALSE(crl.find(g.cert.serial_hex()));
  EXPECT_TRUE(crl.signed_by(shared_pki().ca("moica").cert.public_key()));
  EXPECT_EQ(crl.issuer_der(), shared_pki().ca("moica").cert.subject_der());
  EXPECT_EQ(crl.this_update(), kPinnedNow);
  EXPECT_EQ(crl.next_update(), kPinnedNow + 24h);
  EXPECT_EQ(crypto::Crl::from_der(pub.crl_der("gca", reg)).size(), 1u);
}

TEST(CrlPublisher, SameBytesUntilARevocationOrAnHour) {
  auto a = testing::soft_citizen(shared_pki().ca("moica"));
  RegistryData reg;
  reg.revision = 1;
  reg.cards.push_back(testing::card_with("TP1", "A123456789", "1", a.cert));
  ManualClock clock(kPinnedNow);
  CrlPublisher pub(shared_pki(), clock);
  auto first = pub.crl_der("moica", reg);
  clock.advance(10min);
  EXPECT_EQ(pub.crl_der("moica", reg), first);
  reg.cards[0].certs[0].revoked_at = clock.now();
  reg.revision = 2;
  auto second = pub.crl_der("moica", reg);
  EXPECT_NE(second, first);
  auto n1 = crypto::Crl::from_der(first).crl_number_hex();
  auto n2 = crypto::Crl::from_der(second).crl_number_hex();
  EXPECT_GT(n2.size() > n1.size() ? 1 : (n2.size() == n1.size() && n2 > n1 ? 1 : 0), 0) << n1 << " " << n2;
  EXPECT_EQ(crypto::Crl::from_der(second).size(), 1u);
  clock.advance(2h);
  auto third = pub.crl_der("moica", reg);
  EXPECT_NE(third, second);
  EXPECT_EQ(crypto::Crl::from_der(third).this_update(), clock.now());
}

TEST(CrlPublisher, UnknownCaIsRefused) {
  ManualClock clock(kPinnedNow);
  CrlPublisher pub(shared_pki(), clock);
  EXPECT_THROW(pub.crl_der("nope", {}), Error);
}

}  // namespace
}  // namespace ecpa::sim
