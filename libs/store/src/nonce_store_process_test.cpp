// Separate binary (label integration): it forks real processes.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>

#include "ecpa/store/nonce_store.hpp"
#include "store_testing.hpp"

namespace ecpa::store {
namespace {

using testing::at_seconds;

const TokenHash kSession = TokenHash::of("presession-1");

// Exit codes a child uses to report its verdict (or 9: it failed before it could take).
int exit_code_of(NonceTake t) { return static_cast<int>(t); }

// Starts `processes` children, each with its own Database on `url` (never the parent's connections), and lets
// them take `nonce` at `now` all at once. Returns how many children saw each verdict; key 9 counts failures.
std::map<int, int> take_in_processes(const std::string& url, const TokenHash& nonce, Clock::time_point now,
                                     int processes) {
  int go[2];
  if (::pipe(go) != 0) return {{9, processes}};
  std::vector<pid_t> children;
  for (int i = 0; i < processes; ++i) {
    const pid_t pid = ::fork();
    if (pid < 0) break;
    if (pid == 0) {
      int code = 9;
      try {
        auto child_db = Database::open(url);
        SqlNonceStore mine(*child_db);
        ::close(go[1]);
        char c;
        if (::read(go[0], &c, 1) == 0) code = exit_code_of(mine.take(nonce, kSession, "login", now));
      } catch (...) {
        code = 9;
      }
      ::_exit(code);
    }
    children.push_back(pid);
  }
  ::close(go[0]);
  ::close(go[1]);  // EOF on the pipe starts every child at once
  std::map<int, int> verdicts;
  for (pid_t pid : children) {
    int status = 0;
    const bool exited = ::waitpid(pid, &status, 0) == pid && WIFEXITED(status);
    ++verdicts[exited ? WEXITSTATUS(status) : 9];
  }
  verdicts[9] += processes - static_cast<int>(children.size());
  return verdicts;
}

TEST(NonceStoreProcesses, ConcurrentTakersInSeparateProcesses) {
  // The real deployment shape: several portal processes, one database file, no shared memory.
  constexpr int kProcesses = 6;
  testing::TempDir dir;
  const auto url = testing::sqlite_url(dir / "nonces.db");
  auto db = testing::open_migrated(dir / "nonces.db");
  SqlNonceStore store(*db);
  for (int round = 0; round < 5; ++round) {
    const auto nonce = TokenHash::of("proc-race-" + std::to_string(round));
    store.put(nonce, kSession, "login", at_seconds(1000));
    auto verdicts = take_in_processes(url, nonce, at_seconds(10), kProcesses);
    EXPECT_EQ(verdicts[exit_code_of(NonceTake::Taken)], 1) << "round " << round;
    EXPECT_EQ(verdicts[exit_code_of(NonceTake::Invalid)], kProcesses - 1) << "round " << round;
    EXPECT_EQ(verdicts[exit_code_of(NonceTake::Expired)], 0) << "round " << round;
    EXPECT_EQ(verdicts[9], 0) << "round " << round;
  }
}

TEST(NonceStoreProcesses, ExpiryIsJudgedTheSameByAProcessThatDidNotIssueIt) {
  // The nonce is issued here and presented late to other processes, which have no memory of issuing it:
  // exactly one of them learns "expired" from the database, the rest "spent".
  constexpr int kProcesses = 4;
  testing::TempDir dir;
  const auto url = testing::sqlite_url(dir / "nonces.db");
  auto db = testing::open_migrated(dir / "nonces.db");
  SqlNonceStore issuer(*db);
  const auto nonce = TokenHash::of("late-across-processes");
  issuer.put(nonce, kSession, "login", at_seconds(300));
  auto verdicts = take_in_processes(url, nonce, at_seconds(301), kProcesses);
  EXPECT_EQ(verdicts[exit_code_of(NonceTake::Expired)], 1);
  EXPECT_EQ(verdicts[exit_code_of(NonceTake::Invalid)], kProcesses - 1);
  EXPECT_EQ(verdicts[exit_code_of(NonceTake::Taken)], 0);
  EXPECT_EQ(verdicts[9], 0);
}

}  // namespace
}  // namespace ecpa::store
