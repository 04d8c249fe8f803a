#include "ecpa/testkit/process.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace ecpa::testkit {
namespace {

using namespace std::chrono_literals;

const std::string kSh = "/bin/sh";

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

struct TempFile {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("testkit-" + std::to_string(::getpid()) + ".txt");
  ~TempFile() { std::filesystem::remove(path); }
};

TEST(Run, KeepsOutputOfBothStreamsAndTheExitCode) {
  auto r = run(kSh, {"-c", "echo out; echo err >&2; exit 3"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.output, "out\nerr\n");
  EXPECT_EQ(run(kSh, {"-c", "true"}).exit_code, 0);
  EXPECT_EQ(run(kSh, {"-c", "kill -TERM $$"}).exit_code, 128 + SIGTERM);
}

TEST(Run, ArgumentsReachTheProgramAsTheyAre) {
  auto r = run("/usr/bin/printf", {"%s|", "a b", "it's", "$HOME", ";", "", "\"q\""});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.output, "a b|it's|$HOME|;||\"q\"|");
}

TEST(Run, StdinIsEmpty) {
  auto r = run(kSh, {"-c", "cat; echo done"}, 10s);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.output, "done\n");
}

TEST(Run, KillsAProgramThatOutlivesItsTime) {
  const auto start = std::chrono::steady_clock::now();
  auto r = run("/bin/sleep", {"30"}, 300ms);
  EXPECT_EQ(r.exit_code, -1);
  EXPECT_NE(r.output.find("killed after 300 ms"), std::string::npos) << r.output;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
}

TEST(Run, AMissingProgramIsAnError) {
  EXPECT_THROW((void)run("/nonexistent/program", {}), std::runtime_error);
}

TEST(Field, ReadsKeyValueLines) {
  const std::string out = "pki: /tmp/x\ncard_sn: TP123\nsn: 42\nsign_cert_serial: 0a0b\nempty: \n";
  EXPECT_EQ(field(out, "card_sn"), "TP123");
  EXPECT_EQ(field(out, "sn"), "42");  // not the tail of "card_sn"
  EXPECT_EQ(field(out, "sign_cert_serial"), "0a0b");
  EXPECT_EQ(field(out, "empty"), "");
  EXPECT_EQ(field(out, "missing"), "");
  EXPECT_EQ(field("last: no newline", "last"), "no newline");
}

TEST(ShellQuote, SurvivesTheShell) {
  for (std::string s : {"plain", "a b", "it's", "$HOME `id` \"x\" \\ ;|&", ""}) {
    auto r = run(kSh, {"-c", "printf %s " + shell_quote(s)});
    EXPECT_EQ(r.output, s);
  }
}

TEST(Process, FindsTheUrlAServerPrintsAndStopsIt) {
  Process p(kSh, {"-c", "echo starting; echo 'listening: http://127.0.0.1:1234'; exec sleep 30"});
  EXPECT_EQ(p.url(), "");
  EXPECT_EQ(p.wait_for_url(10s), "http://127.0.0.1:1234");
  EXPECT_EQ(p.url(), "http://127.0.0.1:1234");
  EXPECT_FALSE(p.wait(50ms).has_value());
  const int status = p.stop();
  ASSERT_TRUE(WIFSIGNALED(status)) << status;
  EXPECT_EQ(WTERMSIG(status), SIGTERM);
  EXPECT_EQ(p.stop(), status);
  EXPECT_EQ(::kill(p.pid(), 0), -1);  // reaped
}

TEST(Process, ReportsACleanStop) {
  Process p(kSh, {"-c", "trap 'exit 0' TERM; echo https://127.0.0.1:9/; while :; do sleep 0.05; done"});
  EXPECT_EQ(p.wait_for_url(10s), "https://127.0.0.1:9/");
  const int status = p.stop();
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(Process, SaysWhatCameInsteadOfAUrl) {
  Process p(kSh, {"-c", "echo 'error: CONFIG_INVALID'; exit 2"});
  try {
    (void)p.wait_for_url(10s);
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("CONFIG_INVALID"), std::string::npos) << e.what();
  }
  auto status = p.wait(10s);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(exit_code(*status), 2);
}

TEST(Process, GivesUpWaitingForAUrlInTime) {
  Process p("/bin/sleep", {"30"});
  const auto start = std::chrono::steady_clock::now();
  EXPECT_THROW((void)p.wait_for_url(200ms), std::runtime_error);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
}

TEST(Process, ReadsLinesOneByOne) {
  Process p(kSh, {"-c", "printf 'one\\r\\ntwo\\nthree'"});
  EXPECT_EQ(p.read_line(10s), "one");
  EXPECT_EQ(p.read_line(10s), "two");
  EXPECT_EQ(p.read_line(10s), "three");
  EXPECT_EQ(p.read_line(10s), std::nullopt);
}

TEST(Process, WritesToFilesWhenAsked) {
  TempFile both;
  {
    Process p(kSh, {"-c", "echo out; echo err >&2"}, {.stdout_file = both.path, .stderr_file = both.path});
    ASSERT_TRUE(p.wait(10s).has_value());
    EXPECT_EQ(p.read_line(10ms), std::nullopt);
  }
  EXPECT_EQ(slurp(both.path), "out\nerr\n");
  // stderr alone is appended to.
  {
    Process p(kSh, {"-c", "echo more >&2"}, {.stderr_file = both.path});
    ASSERT_TRUE(p.wait(10s).has_value());
  }
  EXPECT_EQ(slurp(both.path), "out\nerr\nmore\n");
}

TEST(Process, SignalsAndExitCodes) {
  Process p("/bin/sleep", {"30"});
  p.signal(SIGKILL);
  auto status = p.wait(10s);
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(exit_code(*status), 128 + SIGKILL);
  EXPECT_THROW(Process("/nonexistent/program", {}), std::runtime_error);
}

}  // namespace
}  // namespace ecpa::testkit
