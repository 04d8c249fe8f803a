// ecpa-agent as a real process: start, answer, log, stop on SIGTERM; refuse bad configuration; and
// the browser end-to-end test (Playwright in Chromium, apps/agent/e2e/agent_e2e.mjs) against it.
#include <gtest/gtest.h>

#include <signal.h>

#include <fstream>
#include <future>
#include <thread>

#include "agent_env.hpp"
#include "ecpa/http/client.hpp"
#include "ecpa/http/url.hpp"
#include "ecpa/testkit/net.hpp"
#include "ecpa/testkit/process.hpp"
#include "ret_code.hpp"

namespace ecpa::agent {
namespace {

using nlohmann::json;
using testing::env;
using namespace std::chrono_literals;

using testkit::free_loopback_port;

// The exit status once it has ended within `timeout`, else -1.
int exit_within(testkit::Process& p, std::chrono::milliseconds timeout) {
  auto status = p.wait(timeout);
  return status ? testkit::exit_code(*status) : -1;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

class AgentProcess : public ::testing::Test {
 protected:
  void SetUp() override {
    env();
    card_ = env().new_card({.label = "proc"});
    port_ = free_loopback_port();
    allowed_port_ = free_loopback_port();
    config_ = dir_.write("agent.toml",
                         "[agent]\nallowed_origins = [\"http://127.0.0.1:" + std::to_string(allowed_port_) +
                             "\"]\npin_timeout_seconds = 20\nsignatures_per_minute = 3\n");
  }

  std::unique_ptr<testkit::Process> start(std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"--module",    ECPA_CARDMOD_PATH,
                                  "--config",    config_.string(),
                                  "--listen",    "127.0.0.1:" + std::to_string(port_),
                                  "--approvals", (dir_.path() / "approved.txt").string(),
                                  "--log-file",  log_file().string()};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto out = dir_.path() / "stdout.txt";
    auto p = std::make_unique<testkit::Process>(
        ECPA_AGENT_PATH, args, testkit::ProcessOptions{.stdout_file = out, .stderr_file = out});
    for (int i = 0; i < 250; ++i) {
      try {
        if (call("/pkcs11info", "").status == 200) break;
      } catch (const Error&) {
        std::this_thread::sleep_for(20ms);
      }
    }
    return p;
  }

  http::ClientResponse call(const std::string& path, const std::string& body) {
    http::ClientRequest r;
    r.method = "POST";
    r.url = url() + path;
    r.body = body;
    r.headers.set("Content-Type", "application/x-www-form-urlencoded");
    r.headers.set("Origin", "http://127.0.0.1:" + std::to_string(allowed_port_));
    return http::Client().send(r);
  }

  // As the agent's pop-up sends a package that carries the PIN (direct mode refuses PINs).
  json sign(const std::string& pin) {
    json p{
        {"func", "MakeSignature"}, {"tbs", "process test"}, {"pin", pin}, {"slotDescription", card_.reader}};
    return json::parse(relayed("/sign", p).body);
  }
  http::ClientResponse relayed(const std::string& path, const json& package) {
    http::ClientRequest r;
    r.method = "POST";
    r.url = url() + path;
    r.body = "tbsPackage=" + http::percent_encode(package.dump()) +
             "&origin=" + http::percent_encode("http://127.0.0.1:" + std::to_string(allowed_port_));
    r.headers.set("Content-Type", "application/x-www-form-urlencoded");
    r.headers.set("Origin", url());
    return http::Client().send(r);
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::filesystem::path log_file() const { return dir_.path() / "agent.log"; }

  crypto::testing::TempDir dir_;
  testing::Card card_;
  std::uint16_t port_ = 0, allowed_port_ = 0;
  std::filesystem::path config_;
};

TEST_F(AgentProcess, ServesSignsAndStopsOnSigterm) {
  auto agent = start();
  auto answer = sign(p11::testing::kUserPin);
  EXPECT_EQ(answer["ret_code"], 0u) << answer.dump();
  EXPECT_EQ(answer["cardSN"], card_.serial);
  agent->signal(SIGTERM);
  EXPECT_EQ(exit_within(*agent, 15s), 0);
  EXPECT_NE(read_file(log_file()).find("agent.stopping"), std::string::npos);
}

TEST_F(AgentProcess, StopsPromptlyWhileAPinPadWaits) {
  auto agent = start();
  const std::string id = "0123456789abcdef0123456789abcdef";
  json p{{"func", "MakeSignature"}, {"tbs", "wait"}, {"pinRequest", id}, {"slotDescription", card_.reader}};
  auto pending = std::async(std::launch::async, [&] {
    return json::parse(call("/sign", "tbsPackage=" + http::percent_encode(p.dump())).body);
  });
  bool waiting = false;
  for (int i = 0; i < 250 && !waiting; ++i) {
    waiting = json::parse(http::Client().get(url() + "/pinpad/request?req=" + id).body)["pending"] == true;
    if (!waiting) std::this_thread::sleep_for(20ms);
  }
  ASSERT_TRUE(waiting);
  const auto begin = std::chrono::steady_clock::now();
  agent->signal(SIGTERM);
  EXPECT_EQ(exit_within(*agent, 8s), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 5s);  // not the 20 s PIN timeout
  EXPECT_EQ(pending.get()["ret_code"], ret::kCancelled);
}

TEST_F(AgentProcess, LogsHoldNoPinNoIdNoSignature) {
  auto agent = start();
  auto good = sign(p11::testing::kUserPin);
  ASSERT_EQ(good["ret_code"], 0u) << good.dump();
  EXPECT_EQ(sign("975310")["ret_code"], ret::kLoginFailed);
  json id_package{{"func", "MakeSignature"},
                  {"tbs", "A123456789"},
                  {"pin", "864200"},
                  {"slotDescription", "Reader A123456789"}};
  relayed("/sign", id_package);
  agent->signal(SIGTERM);
  exit_within(*agent, 15s);
  const std::string log = read_file(log_file());
  ASSERT_NE(log.find("agent.api"), std::string::npos) << log;
  EXPECT_NE(log.find("0x76100006"), std::string::npos);  // the failures are logged, by code
  for (const std::string& secret :
       {std::string(p11::testing::kUserPin), std::string("975310"), std::string("864200"),
        std::string("A123456789"), good["signature"].get<std::string>().substr(0, 32)}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << secret << "\n" << log;
  }
}

TEST_F(AgentProcess, RefusesToStartWithBadSettings) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {ECPA_AGENT_PATH, "--listen", "127.0.0.1:1"},  // no module
           {ECPA_AGENT_PATH, "--module", ECPA_CARDMOD_PATH, "--listen", "0.0.0.0:61161"},
           {ECPA_AGENT_PATH, "--module", "relative.so"}}) {
    const auto out = dir_.path() / "bad.txt";
    testkit::Process p(args.front(), std::vector<std::string>(args.begin() + 1, args.end()),
                       {.stdout_file = out, .stderr_file = out});
    EXPECT_EQ(exit_within(p, 10s), 2) << args.back();
    EXPECT_NE(read_file(dir_.path() / "bad.txt").find("CONFIG_INVALID"), std::string::npos);
  }
}

TEST_F(AgentProcess, BrowserEndToEnd) {
  const std::string playwright = std::string(ECPA_SOURCE_DIR) + "/web/node_modules/playwright-core";
  if (!std::filesystem::exists(playwright) || !std::filesystem::exists("/usr/bin/chromium")) {
    GTEST_SKIP() << "playwright-core (npm ci in web/) or chromium missing";
  }
  auto agent = start();
  const std::uint16_t other_port = free_loopback_port();
  const auto out = dir_.path() / "e2e.txt";
  testkit::Process node(
      "/usr/bin/env",
      {"AGENT_URL=" + url(), "ALLOWED_PORT=" + std::to_string(allowed_port_),
       "OTHER_PORT=" + std::to_string(other_port), "SLOT=" + card_.reader,
       std::string("PIN=") + p11::testing::kUserPin, "OUT_DIR=" + dir_.path().string(),
       "PLAYWRIGHT_CORE=" + playwright, "node", std::string(ECPA_AGENT_E2E_DIR) + "/agent_e2e.mjs"},
      {.stdout_file = out, .stderr_file = out});
  const int rc = exit_within(node, 180s);
  const std::string output = read_file(out);
  ASSERT_EQ(rc, 0) << output;
  EXPECT_NE(output.find("all e2e checks passed"), std::string::npos) << output;

  for (const char* name : {"popup-signature.b64", "direct-signature.b64"}) {
    const auto der =
        dir_.write(std::string(name) + ".der", crypto::from_base64(read_file(dir_.path() / name)));
    auto verify =
        crypto::testing::run_command("openssl cms -verify -inform DER -in " + der.string() + " -CAfile " +
                                     env().write_ca_chain(dir_.path()).string() + " -out /dev/null 2>&1");
    EXPECT_EQ(verify.exit_code, 0) << name << ": " << verify.output;
  }
}

}  // namespace
}  // namespace ecpa::agent
