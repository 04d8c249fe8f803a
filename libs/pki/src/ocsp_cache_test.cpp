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
std::string key_of(int serial) { return good_answer_key(id_of(serial)); }
GoodAnswer good_for(std::chrono::seconds span) { return GoodAnswer{kT0, kT0 - 1s, kT0 + span}; }

TEST(OcspCache, RemembersWhenItAskedUntilNextUpdate) {
  OcspCache cache(10);
  EXPECT_FALSE(cache.find(key_of(1), kT0));
  cache.put(key_of(1), good_for(1h));
  auto held = cache.find(key_of(1), kT0 + 59min);
  ASSERT_TRUE(held);
  EXPECT_EQ(held->checked_at, kT0);
  EXPECT_EQ(held->next_update, kT0 + 1h);
  EXPECT_FALSE(cache.find(key_of(1), kT0 + 1h));
  EXPECT_EQ(cache.size(), 0u);  // the expired entry is gone
}

TEST(OcspCache, ForgetsARevokedCertificateAtOnce) {
  OcspCache cache(10);
  cache.put(key_of(1), good_for(1h));
  cache.put(key_of(2), good_for(1h));
  cache.forget(key_of(1), kT0 + 1s);
  EXPECT_FALSE(cache.find(key_of(1), kT0 + 2s));
  EXPECT_TRUE(cache.find(key_of(2), kT0 + 2s));
  // An answer from before the revocation, written late, does not bring it back; a later one does.
  cache.put(key_of(1), GoodAnswer{kT0, kT0, kT0 + 1h});
  EXPECT_FALSE(cache.find(key_of(1), kT0 + 3s));
  cache.forget(key_of(3), kT0 + 1s);  // never held: remembered all the same
  cache.put(key_of(3), GoodAnswer{kT0, kT0, kT0 + 1h});
  EXPECT_FALSE(cache.find(key_of(3), kT0 + 3s));
  cache.put(key_of(1), GoodAnswer{kT0 + 5s, kT0 + 4s, kT0 + 1h});
  EXPECT_TRUE(cache.find(key_of(1), kT0 + 6s));
}

TEST(OcspCache, KeysOnEveryCertIdField) {
  OcspCache cache(10);
  cache.put(key_of(1), good_for(1h));
  auto other_issuer = id_of(1);
  other_issuer.issuer_key_hash[0] = 9;
  EXPECT_FALSE(cache.find(good_answer_key(other_issuer), kT0));
  auto other_name = id_of(1);
  other_name.issuer_name_hash[0] = 9;
  EXPECT_FALSE(cache.find(good_answer_key(other_name), kT0));
  auto other_hash = id_of(1);
  other_hash.hash = crypto::DigestAlgorithm::Sha256;
  EXPECT_FALSE(cache.find(good_answer_key(other_hash), kT0));
  EXPECT_FALSE(cache.find(key_of(11), kT0));
  EXPECT_TRUE(cache.find(key_of(1), kT0));
}

TEST(OcspCache, EvictsTheLeastRecentlyUsed) {
  OcspCache cache(2);
  cache.put(key_of(1), good_for(1h));
  cache.put(key_of(2), good_for(1h));
  EXPECT_TRUE(cache.find(key_of(1), kT0));  // 1 is now the most recent
  cache.put(key_of(3), good_for(1h));
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_TRUE(cache.find(key_of(1), kT0));
  EXPECT_FALSE(cache.find(key_of(2), kT0));
  EXPECT_TRUE(cache.find(key_of(3), kT0));
}

TEST(OcspCache, SafeUnderConcurrentUse) {
  OcspCache cache(64);
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cache, t] {
      for (int i = 0; i < 2000; ++i) {
        cache.put(key_of(i % 100 + t), good_for(1h));
        (void)cache.find(key_of(i % 50), kT0);
        if (i % 7 == 0) cache.forget(key_of(i % 30), kT0);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_LE(cache.size(), 64u);
}

}  // namespace
}  // namespace ecpa::pki
