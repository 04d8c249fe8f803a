#include "ecpa/testkit/sanitizers.hpp"

#include <gtest/gtest.h>

#include <filesystem>

#include "ecpa/testkit/process.hpp"

namespace ecpa::testkit {
namespace {

TEST(Sanitizers, PreloadsOnlyRuntimesThatExist) {
  const auto env = sanitizer_env();
  if (env.empty()) {
    EXPECT_EQ(sanitizer_env_prefix(), "");  // not a sanitized build: nothing to add
    return;
  }
  ASSERT_EQ(env.size(), 2u);
  ASSERT_EQ(env[0].rfind("LD_PRELOAD=/", 0), 0u) << env[0];
  EXPECT_EQ(env[1], "ASAN_OPTIONS=detect_leaks=0");
  // Every preloaded runtime exists, or the tools would fail for another reason than the one this fixes.
  const std::string libs = env[0].substr(env[0].find('=') + 1);
  for (std::size_t start = 0; start < libs.size();) {
    auto end = libs.find(' ', start);
    if (end == std::string::npos) end = libs.size();
    EXPECT_TRUE(std::filesystem::exists(libs.substr(start, end - start))) << libs.substr(start, end - start);
    start = end + 1;
  }
  EXPECT_EQ(sanitizer_env_prefix().rfind("LD_PRELOAD='/", 0), 0u) << sanitizer_env_prefix();
}

TEST(Sanitizers, AShellWithThePrefixStillRuns) {
  auto r = run("/bin/sh", {"-c", sanitizer_env_prefix() + "printf ok"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output, "ok");
}

}  // namespace
}  // namespace ecpa::testkit
