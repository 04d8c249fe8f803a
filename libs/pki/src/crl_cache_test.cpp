#include "ecpa/pki/crl_cache.hpp"

#include <gtest/gtest.h>

#include "ecpa/common/error.hpp"
#include "ecpa/crypto/testing/expect_error.hpp"
#include "test_support.hpp"

namespace ecpa::pki {
namespace {

using namespace testing;
using namespace std::chrono_literals;

void expect_code(ErrorCode code, const std::function<void()>& f) { crypto::testing::expect_error(code, f); }

crypto::Bytes crl_der(const KeyAndCert& ca, const std::vector<std::string>& serials, crypto::TimePoint next) {
  crypto::CrlBuilder b;
  b.this_update(kPinnedNow - 1h).next_update(next);
  for (const auto& s : serials) b.add({s, kPinnedNow - 2h, std::nullopt});
  return b.sign(ca.cert, ca.key).der();
}

TEST(RevokedSerials, FindsRevokedSerialsOnly) {
  const auto& h = Hierarchy::shared();
  auto crl = RevokedSerials::from_crl(crl_der(h.moica, {"1a2b", "ff", "0abc"}, kPinnedNow + 1h), h.moica.cert,
                                      kPinnedNow, 300s);
  EXPECT_EQ(crl->size(), 3u);
  EXPECT_TRUE(crl->contains("1a2b"));
  EXPECT_TRUE(crl->contains("ff"));
  EXPECT_TRUE(crl->contains("abc"));
  EXPECT_FALSE(crl->contains("1a2c"));
  EXPECT_FALSE(crl->contains("-ff"));
  EXPECT_FALSE(crl->contains("zz"));
}

TEST(RevokedSerials, RefusesAnExpiredCrl) {
  const auto& h = Hierarchy::shared();
  expect_code(codes::CRL_INVALID, [&] {
    RevokedSerials::from_crl(crl_der(h.moica, {}, kPinnedNow - 10min), h.moica.cert, kPinnedNow, 300s);
  });
  // Within the skew allowance it is still good.
  EXPECT_NO_THROW(
      RevokedSerials::from_crl(crl_der(h.moica, {}, kPinnedNow - 1min), h.moica.cert, kPinnedNow, 300s));
}

TEST(RevokedSerials, RefusesAnotherIssuerOrKey) {
  const auto& h = Hierarchy::shared();
  // stranger_ca has the same name as moica but another key.
  expect_code(codes::CRL_INVALID, [&] {
    RevokedSerials::from_crl(crl_der(h.stranger_ca, {}, kPinnedNow + 1h), h.moica.cert, kPinnedNow, 300s);
  });
  expect_code(codes::CRL_INVALID, [&] {
    RevokedSerials::from_crl(crl_der(h.gca, {}, kPinnedNow + 1h), h.moica.cert, kPinnedNow, 300s);
  });
  expect_code(codes::CRL_INVALID,
              [&] { RevokedSerials::from_crl(crypto::to_bytes("junk"), h.moica.cert, kPinnedNow, 300s); });
}

TEST(RevokedSerials, HandlesAFullSizeCrl) {
  // MOICA G2's CRL has ≈ 412,000 entries.
  const auto& h = Hierarchy::shared();
  constexpr int kEntries = 400000;
  crypto::CrlBuilder b;
  b.this_update(kPinnedNow - 1h).next_update(kPinnedNow + 24h);
  for (int i = 0; i < kEntries; ++i) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%08x%08x", 0x10000000u + static_cast<unsigned>(i) * 7919u,
                  static_cast<unsigned>(i));
    b.add({buf, kPinnedNow - 2h, std::nullopt});
  }
  auto der = b.sign(h.moica.cert, h.moica.key).der();
  auto crl = RevokedSerials::from_crl(der, h.moica.cert, kPinnedNow, 300s);
  EXPECT_EQ(crl->size(), static_cast<std::size_t>(kEntries));
  char probe[40];
  std::snprintf(probe, sizeof probe, "%08x%08x", 0x10000000u + 12345u * 7919u, 12345u);
  EXPECT_TRUE(crl->contains(probe));
  EXPECT_FALSE(crl->contains("123456789abcdef"));
}

TEST(CrlCache, FetchesOnceUntilNextUpdate) {
  const auto& h = Hierarchy::shared();
  Authority authority(h.moica);
  authority.revoked = {"abcd"};
  CrlCache cache(2);
  auto a = cache.get(authority, kCrlUrl, h.moica.cert, kPinnedNow, 300s, 1s, 1 << 20);
  auto b = cache.get(authority, kCrlUrl, h.moica.cert, kPinnedNow + 1h, 300s, 1s, 1 << 20);
  EXPECT_EQ(a, b);
  EXPECT_EQ(authority.crl_calls, 1);
  EXPECT_TRUE(a->contains("abcd"));
  authority.now = kPinnedNow + 25h;  // the authority publishes a fresh one by then
  cache.get(authority, kCrlUrl, h.moica.cert, kPinnedNow + 25h, 300s, 1s, 1 << 20);
  EXPECT_EQ(authority.crl_calls, 2);
}

TEST(CrlCache, IsBounded) {
  const auto& h = Hierarchy::shared();
  Authority authority(h.moica);
  CrlCache cache(2);
  for (const char* url : {"http://a/1.crl", "http://a/2.crl", "http://a/3.crl"}) {
    cache.get(authority, url, h.moica.cert, kPinnedNow, 300s, 1s, 1 << 20);
  }
  EXPECT_EQ(cache.size(), 2u);
}

TEST(CrlCache, ReportsFetchFailuresAsUnavailable) {
  const auto& h = Hierarchy::shared();
  Authority authority(h.moica);
  CrlCache cache(2);
  for (auto t :
       {Authority::Transport::Refused, Authority::Transport::NotFound, Authority::Transport::Timeout}) {
    authority.crl_transport[kCrlUrl] = t;
    expect_code(codes::CRL_UNAVAILABLE,
                [&] { cache.get(authority, kCrlUrl, h.moica.cert, kPinnedNow, 300s, 1s, 1 << 20); });
  }
  authority.crl_transport[kCrlUrl] = Authority::Transport::Garbage;
  expect_code(codes::CRL_INVALID,
              [&] { cache.get(authority, kCrlUrl, h.moica.cert, kPinnedNow, 300s, 1s, 1 << 20); });
  EXPECT_EQ(cache.size(), 0u);
}

}  // namespace
}  // namespace ecpa::pki
