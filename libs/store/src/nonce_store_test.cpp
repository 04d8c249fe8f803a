#include "ecpa/store/nonce_store.hpp"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>
#include <atomic>

#include <thread>

#include "store_testing.hpp"

namespace ecpa::store {
namespace {

using testing::at_seconds;
using testing::code_of;
using testing::TempDir;

const TokenHash kNonce = TokenHash::of("nonce-1");
const TokenHash kSession = TokenHash::of("presession-1");

class NonceStoreTest : public ::testing::Test {
 protected:
  std::int64_t count() {
    return db_->with_connection(
        [](Connection& c) { return c.query_one("SELECT COUNT(*) FROM auth_nonces")->i64(0); });
  }
  TempDir dir_;
  std::unique_ptr<Database> db_ = testing::open_migrated(dir_ / "nonces.db");
  SqlNonceStore store_{*db_};
};

TEST_F(NonceStoreTest, TakenOnceOnly) {
  store_.put(kNonce, kSession, "login", at_seconds(300));
  EXPECT_EQ(store_.take(kNonce, kSession, "login", at_seconds(100)), NonceTake::Taken);
  EXPECT_EQ(store_.take(kNonce, kSession, "login", at_seconds(100)), NonceTake::Invalid);
  EXPECT_EQ(store_.take(TokenHash::of("never-issued"), kSession, "login", at_seconds(100)),
            NonceTake::Invalid);
}

TEST_F(NonceStoreTest, WrongSessionOrPurposeFailsAndLeavesTheNonceToItsOwner) {
  store_.put(kNonce, kSession, "login", at_seconds(300));
  EXPECT_EQ(store_.take(kNonce, TokenHash::of("other-session"), "login", at_seconds(100)),
            NonceTake::Invalid);
  EXPECT_EQ(store_.take(kNonce, kSession, "bind", at_seconds(100)), NonceTake::Invalid);
  EXPECT_EQ(count(), 1);
  // The owner's own attempt still succeeds, once.
  EXPECT_EQ(store_.take(kNonce, kSession, "login", at_seconds(100)), NonceTake::Taken);
  EXPECT_EQ(store_.take(kNonce, TokenHash::of("other-session"), "login", at_seconds(100)),
            NonceTake::Invalid);
  EXPECT_EQ(count(), 0);
}

TEST_F(NonceStoreTest, ExpiredIsToldApartFromUnknownAndSpent) {
  store_.put(kNonce, kSession, "login", at_seconds(300));
  // The expiry instant itself is already too late.
  EXPECT_EQ(store_.take(kNonce, kSession, "login", at_seconds(300)), NonceTake::Expired);
  // Presented again: spent, whatever its age.
  EXPECT_EQ(store_.take(kNonce, kSession, "login", at_seconds(300)), NonceTake::Invalid);

  // Someone else's expired nonce does not say "expired": that would confirm it exists.
  const auto theirs = TokenHash::of("theirs");
  store_.put(theirs, TokenHash::of("other-session"), "login", at_seconds(300));
  EXPECT_EQ(store_.take(theirs, kSession, "login", at_seconds(400)), NonceTake::Invalid);
  const auto bind = TokenHash::of("bind-nonce");
  store_.put(bind, kSession, "bind", at_seconds(300));
  EXPECT_EQ(store_.take(bind, kSession, "login", at_seconds(400)), NonceTake::Invalid);
}

TEST_F(NonceStoreTest, ExpiredRowsAreKeptForTheRetentionThenSwept) {
  const auto retention = SqlNonceStore::kDefaultRetention;
  const auto late = TokenHash::of("late");
  store_.put(late, kSession, "login", at_seconds(300));
  store_.put(TokenHash::of("old"), kSession, "login", at_seconds(200));
  store_.put(TokenHash::of("fresh"), kSession, "login", at_seconds(100'000));
  // Within the retention: still known as expired, not swept by another take.
  EXPECT_EQ(store_.take(TokenHash::of("unrelated"), kSession, "login", at_seconds(300)), NonceTake::Invalid);
  EXPECT_EQ(count(), 3);
  EXPECT_EQ(store_.take(late, kSession, "login", at_seconds(150) + retention), NonceTake::Expired);
  EXPECT_EQ(count(), 2);
  // Past the retention a take sweeps "old" on its way.
  EXPECT_EQ(store_.take(TokenHash::of("unrelated"), kSession, "login", at_seconds(200) + retention),
            NonceTake::Invalid);
  EXPECT_EQ(count(), 1);
  EXPECT_EQ(store_.sweep(at_seconds(99'999) + retention), 0);
  EXPECT_EQ(store_.sweep(at_seconds(100'000) + retention), 1);
  EXPECT_EQ(count(), 0);
}

TEST_F(NonceStoreTest, AfterTheRetentionAnExpiredNonceIsUnknown) {
  SqlNonceStore short_memory(*db_, std::chrono::seconds(10));
  short_memory.put(kNonce, kSession, "login", at_seconds(300));
  EXPECT_EQ(short_memory.sweep(at_seconds(309)), 0);
  EXPECT_EQ(short_memory.sweep(at_seconds(310)), 1);
  EXPECT_EQ(short_memory.take(kNonce, kSession, "login", at_seconds(311)), NonceTake::Invalid);
}

TEST_F(NonceStoreTest, VerdictNamesAreStable) {
  EXPECT_EQ(to_string(NonceTake::Taken), "taken");
  EXPECT_EQ(to_string(NonceTake::Expired), "expired");
  EXPECT_EQ(to_string(NonceTake::Invalid), "invalid");
}

TEST_F(NonceStoreTest, DuplicatePutIsAConflictAndBadPurposeIsRefused) {
  store_.put(kNonce, kSession, "login", at_seconds(300));
  EXPECT_EQ(code_of([&] { store_.put(kNonce, kSession, "login", at_seconds(300)); }), "STORE_CONFLICT");
  EXPECT_EQ(code_of([&] { store_.put(TokenHash::of("x"), kSession, "", at_seconds(300)); }), "BAD_REQUEST");
  EXPECT_EQ(code_of([&] { store_.put(TokenHash::of("x"), kSession, std::string(33, 'p'), at_seconds(300)); }),
            "BAD_REQUEST");
}

TEST_F(NonceStoreTest, NoRawTokenInTheFile) {
  const std::string raw = "raw-nonce-value-0123456789abcdef";
  store_.put(TokenHash::of(raw), TokenHash::of("raw-session-token-fedcba"), "login", at_seconds(300));
  std::string all;
  for (const auto& e : std::filesystem::directory_iterator(dir_.path())) all += testing::read_all(e.path());
  EXPECT_EQ(all.find(raw), std::string::npos);
  EXPECT_EQ(all.find("raw-session-token"), std::string::npos);
}

// N threads race to take one nonce; exactly one must win. Run over many nonces to give races a chance.
void race(const std::vector<SqlNonceStore*>& stores, NonceStore& issuer) {
  constexpr int kRounds = 20;
  constexpr int kThreads = 8;
  for (int round = 0; round < kRounds; ++round) {
    const auto nonce = TokenHash::of("race-" + std::to_string(round));
    issuer.put(nonce, kSession, "login", at_seconds(1000));
    std::atomic<int> winners{0}, errors{0};
    std::atomic<bool> go{false};
    std::vector<std::thread> threads;
    threads.reserve(kThreads);
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        while (!go.load()) std::this_thread::yield();
        try {
          if (stores[static_cast<std::size_t>(t) % stores.size()]->take(nonce, kSession, "login",
                                                                        at_seconds(10)) == NonceTake::Taken) {
            ++winners;
          }
        } catch (...) {
          ++errors;
        }
      });
    }
    go = true;
    for (auto& th : threads) th.join();
    EXPECT_EQ(winners.load(), 1) << "round " << round;
    EXPECT_EQ(errors.load(), 0) << "round " << round;
  }
}

TEST_F(NonceStoreTest, ConcurrentTakersOneDatabase) { race({&store_}, store_); }

TEST_F(NonceStoreTest, ConcurrentTakersAcrossTwoDatabaseObjects) {
  // Two Database objects on one file behave like two portal processes: no shared memory, only the file.
  auto other_db = Database::open(testing::sqlite_url(dir_ / "nonces.db"));
  SqlNonceStore other(*other_db);
  race({&store_, &other}, other);
}

}  // namespace
}  // namespace ecpa::store
