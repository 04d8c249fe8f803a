#include "agent_config.hpp"

#include <gtest/gtest.h>

#include "ecpa/common/error.hpp"
#include "ecpa/crypto/testing/files.hpp"

namespace ecpa::agent {
namespace {

TEST(AgentConfig, ListenIsLoopbackOnly) {
  EXPECT_EQ(parse_listen("127.0.0.1:61161"), (std::pair<std::string, std::uint16_t>{"127.0.0.1", 61161}));
  EXPECT_EQ(parse_listen("[::1]:8000").first, "::1");
  for (const char* bad : {"0.0.0.0:61161", "192.168.1.2:61161", "localhost:61161", "127.0.0.1", "127.0.0.1:0",
                          "127.0.0.1:70000", "127.0.0.1:x"}) {
    EXPECT_THROW(parse_listen(bad), Error) << bad;
  }
}

TEST(AgentConfig, FileThenCommandLine) {
  crypto::testing::TempDir dir;
  const auto file = dir.write("agent.toml", std::string(R"([agent]
module = "/usr/lib/softhsm/libsofthsm2.so"
listen = "127.0.0.1:6000"
allowed_origins = ["https://portal.example"]
pin_timeout_seconds = 30
ask_unknown_origins = false
)"));
  CommandLine cli;
  cli.config_file = file.string();
  auto c = load_agent_config(cli, "/web", "/approved.txt");
  EXPECT_EQ(c.service.module_path, "/usr/lib/softhsm/libsofthsm2.so");
  EXPECT_EQ(c.service.port, 6000);
  EXPECT_EQ(c.service.allowed_origins, std::vector<std::string>{"https://portal.example"});
  EXPECT_EQ(c.service.pin_timeout, std::chrono::seconds(30));
  EXPECT_FALSE(c.service.ask_unknown_origins);
  EXPECT_EQ(c.service.approvals_file, "/approved.txt");
  cli.listen = "127.0.0.1:7000";
  cli.module = "/opt/x.so";
  c = load_agent_config(cli, "/web", "/approved.txt");
  EXPECT_EQ(c.service.port, 7000);
  EXPECT_EQ(c.service.module_path, "/opt/x.so");
}

TEST(AgentConfig, MistakesStopTheStart) {
  crypto::testing::TempDir dir;
  CommandLine cli;
  EXPECT_THROW(load_agent_config(cli, "/web", ""), Error);  // no module
  cli.module = "libsofthsm2.so";
  EXPECT_THROW(load_agent_config(cli, "/web", ""), Error);  // not absolute
  cli.module = "/usr/lib/softhsm/libsofthsm2.so";
  cli.config_file = dir.write("typo.toml", std::string("[agent]\nallowed_orgins = []\n")).string();
  EXPECT_THROW(load_agent_config(cli, "/web", ""), Error);
  cli.config_file = dir.write("bad.toml", std::string("[agent]\nallowed_origins = [\"portal\"]\n")).string();
  EXPECT_THROW(load_agent_config(cli, "/web", ""), Error);
}

}  // namespace
}  // namespace ecpa::agent
