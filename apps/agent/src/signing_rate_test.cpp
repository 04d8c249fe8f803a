#include "signing_rate.hpp"

#include <gtest/gtest.h>

namespace ecpa::agent {
namespace {

using namespace std::chrono_literals;

TEST(SigningRate, TenAMinutePerSiteThenNoMore) {
  ManualClock clock{std::chrono::system_clock::from_time_t(1768435200)};
  SigningRate rate(10, clock);
  for (int i = 0; i < 10; ++i) {
    EXPECT_TRUE(rate.admit("https://portal.example")) << i;
    clock.advance(1s);
  }
  EXPECT_FALSE(rate.admit("https://portal.example"));
  EXPECT_FALSE(rate.admit("https://portal.example"));  // refusals are not counted, nor do they reset
  EXPECT_TRUE(rate.admit("https://other.example"));    // each site has its own budget
  clock.advance(50s);                                  // 60 s after the first: one place frees up
  EXPECT_TRUE(rate.admit("https://portal.example"));
  EXPECT_FALSE(rate.admit("https://portal.example"));
  clock.advance(60s);
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(rate.admit("https://portal.example")) << i;
}

TEST(SigningRate, ZeroMeansThePagesPinIsNeverEnough) {
  ManualClock clock{std::chrono::system_clock::from_time_t(1768435200)};
  SigningRate rate(0, clock);
  EXPECT_FALSE(rate.admit("https://portal.example"));
}

TEST(SigningRate, EndedWindowsAreForgotten) {
  ManualClock clock{std::chrono::system_clock::from_time_t(1768435200)};
  SigningRate rate(2, clock);
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(rate.admit("https://s" + std::to_string(i) + ".example"));
  clock.advance(61s);
  EXPECT_TRUE(rate.admit("https://s1.example"));
  EXPECT_TRUE(rate.admit("https://s1.example"));
  EXPECT_FALSE(rate.admit("https://s1.example"));
}

}  // namespace
}  // namespace ecpa::agent
