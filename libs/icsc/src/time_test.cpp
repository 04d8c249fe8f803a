#include "ecpa/icsc/time.hpp"

#include <gtest/gtest.h>

#include "ecpa/crypto/testing/test_pki.hpp"

namespace ecpa::icsc {
namespace {

using namespace std::chrono_literals;
using crypto::testing::kPinnedNow;  // 2026-01-15T00:00:00Z

TEST(IcscTime, IsTaiwanLocalTime) {
  EXPECT_EQ(format_req_time(kPinnedNow), "20260115080000");
  // 16:00 UTC is already the next day in Taiwan; fractions of a second are dropped.
  EXPECT_EQ(format_req_time(kPinnedNow + 16h + 59min + 59s + 999ms), "20260116005959");
  EXPECT_EQ(format_req_time(kPinnedNow - 8h - 1s), "20260114235959");
}

TEST(IcscTime, ParsesWhatItFormats) {
  for (auto t : {kPinnedNow, kPinnedNow + 16h, kPinnedNow - 8h - 1s, kPinnedNow + 24h * 45 + 37s}) {
    auto back = parse_req_time(format_req_time(t));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(*back, t);
  }
  // A leap day, 23:59:59 in Taiwan = 2024-02-29T15:59:59Z.
  EXPECT_EQ(parse_req_time("20240229235959"), crypto::from_unix_seconds(1709222399));
}

TEST(IcscTime, RefusesWhatIsNotARealTime) {
  for (const char* bad : {"", "2026011508000", "202601150800000", "2026011508000x", "20260231080000",
                          "20250229080000", "20261315080000", "20260100080000", "20260115240000",
                          "20260115086000", "20260115080060", " 0260115080000", "-0260115080000"}) {
    EXPECT_FALSE(parse_req_time(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace ecpa::icsc
