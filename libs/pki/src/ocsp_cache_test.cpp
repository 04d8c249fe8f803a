#include "ecpa/pki/ocsp_cache.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace ecpa::pki {
namespace {

using namespace std::chrono_literals;
const OcspCache::TimePoint kT0 = std::chrono::system_clock::from_time_t(1768435200);

crypto::CertId id_of(int serial) {
  return crypto::CertId{crypto::DigestAlgorithm::Sha1, crypto::Bytes(20, 1), crypto::Bytes(20, 2),
                        std::to_string(serial)};
}

TEST(OcspCache, RemembersUntilNextUpdate) {
  OcspCache cache(10);
  EXPECT_FALSE(cache.is_good(id_of(1), kT0));
  cache.put_good(id_of(1), kT0 + 1h);
  EXPECT_TRUE(cache.is_good(id_of(1), kT0 + 59min));
  EXPECT_FALSE(cache.is_good(id_of(1), kT0 + 1h));
  EXPECT_EQ(cache.size(), 0u);  // the expired entry is gone
}

TEST(OcspCache, KeysOnEveryCertIdField) {
  OcspCache cache(10);
  cache.put_good(id_of(1), kT0 + 1h);
  auto other_issuer = id_of(1);
  other_issuer.issuer_key_hash[0] = 9;
  EXPECT_FALSE(cache.is_good(other_issuer, kT0));
  auto other_name = id_of(1);
  other_name.issuer_name_hash[0] = 9;
  EXPECT_FALSE(cache.is_good(other_name, kT0));
  EXPECT_FALSE(cache.is_good(id_of(11), kT0));
  EXPECT_TRUE(cache.is_good(id_of(1), kT0));
}

TEST(OcspCache, EvictsTheLeastRecentlyUsed) {
  OcspCache cache(2);
  cache.put_good(id_of(1), kT0 + 1h);
  cache.put_good(id_of(2), kT0 + 1h);
  EXPECT_TRUE(cache.is_good(id_of(1), kT0));  // 1 is now the most recent
  cache.put_good(id_of(3), kT0 + 1h);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_TRUE(cache.is_good(id_of(1), kT0));
  EXPECT_FALSE(cache.is_good(id_of(2), kT0));
  EXPECT_TRUE(cache.is_good(id_of(3), kT0));
}

TEST(OcspCache, SafeUnderConcurrentUse) {
  OcspCache cache(64);
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cache, t] {
      for (int i = 0; i < 2000; ++i) {
        cache.put_good(id_of(i % 100 + t), kT0 + 1h);
        (void)cache.is_good(id_of(i % 50), kT0);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_LE(cache.size(), 64u);
}

}  // namespace
}  // namespace ecpa::pki
