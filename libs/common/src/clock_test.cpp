#include "ecpa/common/clock.hpp"

#include <gtest/gtest.h>

namespace ecpa {
namespace {

using namespace std::chrono_literals;

TEST(ManualClock, MovesOnlyWhenTold) {
  ManualClock clock(Clock::time_point(1'700'000'000s));
  auto t0 = clock.now();
  EXPECT_EQ(clock.now(), t0);
  clock.advance(5min);
  EXPECT_EQ(clock.now() - t0, 5min);
  clock.set(t0);
  EXPECT_EQ(clock.now(), t0);
}

TEST(SystemClock, FollowsTheSystem) {
  auto before = std::chrono::system_clock::now();
  auto t = SystemClock::instance().now();
  auto after = std::chrono::system_clock::now();
  EXPECT_LE(before, t);
  EXPECT_LE(t, after);
}

}  // namespace
}  // namespace ecpa
