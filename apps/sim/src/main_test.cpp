// main.cpp only hands over to run_cli; this checks the built program's entry and exit codes.
#include <gtest/gtest.h>

#include "sim_process.hpp"

namespace ecpa::sim {
namespace {

TEST(Main, HelpExitsZeroAndNamesTheCommands) {
  auto r = testing::sim({"--help"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  for (const char* cmd : {"pki", "card", "serve", "fault", "icsc"})
    EXPECT_NE(r.output.find(cmd), std::string::npos) << cmd;
}

TEST(Main, UsageErrorsExitTwo) {
  EXPECT_EQ(testing::sim({}).exit_code, 2);
  EXPECT_EQ(testing::sim({"nonsense"}).exit_code, 2);
  EXPECT_EQ(testing::sim({"card", "issue", "--dir", "/nonexistent"}).exit_code,
            2);  // required options missing
}

}  // namespace
}  // namespace ecpa::sim
