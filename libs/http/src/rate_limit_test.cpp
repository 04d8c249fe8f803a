#include "ecpa/http/rate_limit.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace ecpa::http {
namespace {

using namespace std::chrono_literals;

ecpa::ManualClock start_clock() { return ecpa::ManualClock(std::chrono::system_clock::time_point(1000h)); }

TEST(TokenBucket, BurstThenRefill) {
  auto clock = start_clock();
  TokenBucketLimiter limiter({3, 1, 10}, clock);
  EXPECT_TRUE(limiter.take("k").allowed);
  EXPECT_TRUE(limiter.take("k").allowed);
  EXPECT_TRUE(limiter.take("k").allowed);
  auto refused = limiter.take("k");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, 1s);
  clock.advance(500ms);
  EXPECT_FALSE(limiter.take("k").allowed);
  clock.advance(500ms);
  EXPECT_TRUE(limiter.take("k").allowed);
  clock.advance(1h);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.take("k").allowed) << "refill is capped at burst";
  EXPECT_FALSE(limiter.take("k").allowed);
}

TEST(TokenBucket, WouldAllowTakesNothing) {
  auto clock = start_clock();
  TokenBucketLimiter limiter({2, 0.1, 10}, clock);
  EXPECT_TRUE(limiter.would_allow("k").allowed);
  EXPECT_EQ(limiter.tracked_keys(), 0u);  // asking creates no bucket
  EXPECT_TRUE(limiter.take("k").allowed);
  EXPECT_TRUE(limiter.would_allow("k").allowed);
  EXPECT_TRUE(limiter.would_allow("k").allowed);  // still one left: asking spent nothing
  EXPECT_TRUE(limiter.take("k").allowed);
  auto refused = limiter.would_allow("k");
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, 10s);
  clock.advance(10s);
  EXPECT_TRUE(limiter.would_allow("k").allowed);
}

TEST(TokenBucket, RefundGivesBackUpToTheBurst) {
  auto clock = start_clock();
  TokenBucketLimiter limiter({2, 0.001, 10}, clock);
  EXPECT_TRUE(limiter.take("k").allowed);
  EXPECT_TRUE(limiter.take("k").allowed);
  EXPECT_FALSE(limiter.take("k").allowed);
  limiter.refund("k");
  EXPECT_TRUE(limiter.take("k").allowed);
  limiter.refund("k");
  limiter.refund("k");
  limiter.refund("k");  // capped at the burst
  EXPECT_TRUE(limiter.take("k").allowed);
  EXPECT_TRUE(limiter.take("k").allowed);
  EXPECT_FALSE(limiter.take("k").allowed);
  limiter.refund("unknown");  // nothing to give back to
  EXPECT_EQ(limiter.tracked_keys(), 1u);
}

TEST(TokenBucket, RetryAfterReflectsTheRate) {
  auto clock = start_clock();
  TokenBucketLimiter limiter({1, 0.1, 10}, clock);
  EXPECT_TRUE(limiter.take("k").allowed);
  EXPECT_EQ(limiter.take("k").retry_after, 10s);
  EXPECT_FALSE(limiter.take("k", 5).allowed);
}

TEST(TokenBucket, ClockGoingBackMintsNothing) {
  auto clock = start_clock();
  TokenBucketLimiter limiter({1, 1, 10}, clock);
  EXPECT_TRUE(limiter.take("k").allowed);
  clock.advance(-10s);
  EXPECT_FALSE(limiter.take("k").allowed);
}

TEST(TokenBucket, TableIsBoundedAndFailsClosed) {
  auto clock = start_clock();
  TokenBucketLimiter limiter({2, 1, 3}, clock);
  for (std::string k : {"a", "b", "c"}) EXPECT_TRUE(limiter.take(k).allowed);
  EXPECT_FALSE(limiter.take("d").allowed) << "table full of non-full buckets: refuse new keys";
  EXPECT_EQ(limiter.tracked_keys(), 3u);
  clock.advance(5s);  // every bucket full again: forgettable
  EXPECT_TRUE(limiter.take("d").allowed);
  EXPECT_EQ(limiter.tracked_keys(), 1u);
}

TEST(TokenBucket, BadOptionsAreRefused) {
  EXPECT_THROW(TokenBucketLimiter({0, 1, 10}), std::invalid_argument);
  EXPECT_THROW(TokenBucketLimiter({1, 0, 10}), std::invalid_argument);
  EXPECT_THROW(TokenBucketLimiter({1, 1, 0}), std::invalid_argument);
}

TEST(TokenBucket, ThreadSafeCounting) {
  auto clock = start_clock();
  TokenBucketLimiter limiter({1000, 1, 10}, clock);
  std::atomic<int> allowed{0};
  std::vector<std::thread> threads;
  threads.reserve(8);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        if (limiter.take("shared").allowed) allowed.fetch_add(1);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(allowed.load(), 1000);
}

}  // namespace
}  // namespace ecpa::http
