#include "faults.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "ecpa/common/error.hpp"
#include "ecpa/crypto/testing/files.hpp"

namespace ecpa::sim {
namespace {

TEST(Faults, MissingFileMeansNone) {
  crypto::testing::TempDir dir;
  EXPECT_EQ(read_faults(dir.path() / "faults.json"), Faults{});
}

TEST(Faults, RoundTripEverySwitch) {
  crypto::testing::TempDir dir;
  Faults f;
  for (const char* name : {"down", "garbage", "stale", "wrong_signer", "no_nonce", "try_later"})
    set_fault(f, name, "true");
  set_fault(f, "slow_ms", "250");
  write_faults(dir.path() / "faults.json", f);
  auto back = read_faults(dir.path() / "faults.json");
  EXPECT_EQ(back, f);
  EXPECT_TRUE(back.down && back.garbage && back.stale && back.wrong_signer && back.no_nonce &&
              back.try_later);
  EXPECT_EQ(back.slow_ms, 250u);
  set_fault(f, "down", "false");
  EXPECT_FALSE(f.down);
}

TEST(Faults, BadInputIsTyped) {
  Faults f;
  for (auto [name, value] : std::vector<std::pair<const char*, const char*>>{{"dwon", "true"},
                                                                             {"down", "yes please"},
                                                                             {"slow_ms", "-1"},
                                                                             {"slow_ms", "60001"},
                                                                             {"slow_ms", "1x"}}) {
    try {
      set_fault(f, name, value);
      ADD_FAILURE() << name << "=" << value;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), codes::SIM_ARGUMENT_INVALID);
    }
  }
  crypto::testing::TempDir dir;
  std::ofstream(dir.path() / "faults.json") << "{\"down\": \"maybe\"}";
  EXPECT_THROW(read_faults(dir.path() / "faults.json"), Error);
  std::ofstream(dir.path() / "faults2.json") << "{\"unknown\": true}";
  EXPECT_THROW(read_faults(dir.path() / "faults2.json"), Error);
}

}  // namespace
}  // namespace ecpa::sim
