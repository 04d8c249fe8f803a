// Separate binary (label integration): it forks real processes.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ecpa/store/nonce_store.hpp"
#include "store_testing.hpp"

namespace ecpa::store {
namespace {

using testing::at_seconds;

const TokenHash kSession = TokenHash::of("presession-1");

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
    int go[2];
    ASSERT_EQ(::pipe(go), 0);
    std::vector<pid_t> children;
    for (int i = 0; i < kProcesses; ++i) {
      const pid_t pid = ::fork();
      ASSERT_GE(pid, 0);
      if (pid == 0) {
        // Child: its own Database (never the parent's connections), wait for the start signal, take.
        int code = 3;
        try {
          auto child_db = Database::open(url);
          SqlNonceStore mine(*child_db);
          ::close(go[1]);
          char c;
          if (::read(go[0], &c, 1) == 0) code = mine.take(nonce, kSession, "login", at_seconds(10)) ? 0 : 1;
        } catch (...) {
          code = 2;
        }
        ::_exit(code);
      }
      children.push_back(pid);
    }
    ::close(go[0]);
    ::close(go[1]);  // EOF on the pipe starts every child at once
    int winners = 0, losers = 0;
    for (pid_t pid : children) {
      int status = 0;
      ASSERT_EQ(::waitpid(pid, &status, 0), pid);
      ASSERT_TRUE(WIFEXITED(status));
      if (WEXITSTATUS(status) == 0) ++winners;
      if (WEXITSTATUS(status) == 1) ++losers;
    }
    EXPECT_EQ(winners, 1) << "round " << round;
    EXPECT_EQ(losers, kProcesses - 1) << "round " << round;
  }
}

}  // namespace
}  // namespace ecpa::store
