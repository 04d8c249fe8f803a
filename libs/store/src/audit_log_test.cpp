#include "ecpa/store/audit_log.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "store_testing.hpp"

namespace ecpa::store {
namespace {

using testing::at_seconds;
using testing::code_of;
using testing::TempDir;

AuditEvent event(int i) {
  return AuditEvent{at_seconds(1000 + i),
                    i % 2 == 0 ? "login.ok" : "login.failed",
                    "citizen",
                    i % 3 == 0 ? std::nullopt : std::optional<std::int64_t>(i),
                    "C=TW, O=行政院, OU=內政部憑證管理中心",
                    "AB" + std::to_string(i),
                    i % 2 == 0 ? "" : "CERT_REVOKED",
                    "127.0.0.1",
                    "trace-" + std::to_string(i)};
}

class AuditLogTest : public ::testing::Test {
 protected:
  // What someone with write access to the file can do: the triggers are schema, so they can drop them.
  void raw(std::string_view sql) {
    db_->with_connection([&](Connection& c) {
      c.exec("DROP TRIGGER IF EXISTS audit_events_no_update");
      c.exec("DROP TRIGGER IF EXISTS audit_events_no_delete");
      c.exec(sql);
    });
  }
  TempDir dir_;
  std::unique_ptr<Database> db_ = testing::open_migrated(dir_ / "audit.db");
  SqlAuditLog log_{*db_};
};

TEST_F(AuditLogTest, AppendsAChainFromGenesis) {
  EXPECT_TRUE(log_.verify().ok);
  EXPECT_EQ(log_.verify().head_hash, audit_genesis_hash());
  auto r1 = log_.append(event(1));
  auto r2 = log_.append(event(2));
  EXPECT_EQ(r1.seq, 1);
  EXPECT_EQ(r2.seq, 2);
  EXPECT_EQ(r1.prev_hash, audit_genesis_hash());
  EXPECT_EQ(r2.prev_hash, r1.hash);
  EXPECT_EQ(r1.hash, audit_record_hash(audit_genesis_hash(), 1, event(1)));
  auto v = log_.verify();
  EXPECT_TRUE(v.ok);
  EXPECT_EQ(v.records_checked, 2);
  EXPECT_EQ(v.head_hash, r2.hash);
  auto all = log_.read(0, 10);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].event.type, "login.ok");
  EXPECT_EQ(all[1].event.person_id, 2);
  EXPECT_EQ(all[1].event.at, at_seconds(1002));
  EXPECT_EQ(all[0].event.reason, "CERT_REVOKED");
  EXPECT_EQ(log_.read(1, 10).size(), 1u);
}

TEST_F(AuditLogTest, TheEncodingSeparatesFields) {
  auto a = event(1), b = event(1);
  a.method = "ab";
  a.cert_issuer = "c";
  b.method = "a";
  b.cert_issuer = "bc";
  EXPECT_NE(audit_record_hash(audit_genesis_hash(), 1, a), audit_record_hash(audit_genesis_hash(), 1, b));
  auto c = event(1), d = event(1);
  c.person_id = std::nullopt;
  d.person_id = 0;
  EXPECT_NE(audit_record_hash(audit_genesis_hash(), 1, c), audit_record_hash(audit_genesis_hash(), 1, d));
}

TEST_F(AuditLogTest, TheProgramsOwnConnectionCannotRewriteHistory) {
  log_.append(event(1));
  EXPECT_EQ(code_of([&] {
              db_->transaction([](Connection& c) { c.exec("UPDATE audit_events SET reason = 'x'"); });
            }),
            "STORE_ERROR");
  EXPECT_EQ(code_of([&] { db_->transaction([](Connection& c) { c.exec("DELETE FROM audit_events"); }); }),
            "STORE_ERROR");
  EXPECT_TRUE(log_.verify().ok);
}

TEST_F(AuditLogTest, AnEditedRowIsNamed) {
  for (int i = 1; i <= 5; ++i) log_.append(event(i));
  raw("UPDATE audit_events SET reason = '' WHERE seq = 3");
  auto v = log_.verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 3);
  EXPECT_EQ(v.problem, AuditProblem::HashMismatch);
  EXPECT_EQ(v.records_checked, 2);
}

TEST_F(AuditLogTest, ARecomputedHashBreaksTheNextLink) {
  for (int i = 1; i <= 5; ++i) log_.append(event(i));
  // A smarter forger fixes row 3's own hash; row 4 still points at the old one.
  auto e = event(3);
  e.reason = "";
  const Bytes forged = audit_record_hash(log_.read(1, 1)[0].hash, 3, e);
  db_->with_connection([&](Connection& c) {
    c.exec("DROP TRIGGER audit_events_no_update");
    c.exec("UPDATE audit_events SET reason = '', hash = ? WHERE seq = 3", {forged});
  });
  auto v = log_.verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 4);
  EXPECT_EQ(v.problem, AuditProblem::PrevHashMismatch);
}

TEST_F(AuditLogTest, ADeletedRowIsNamed) {
  for (int i = 1; i <= 5; ++i) log_.append(event(i));
  raw("DELETE FROM audit_events WHERE seq = 2");
  auto v = log_.verify();
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(v.first_bad_seq, 3);
  EXPECT_EQ(v.problem, AuditProblem::SequenceGap);
}

TEST_F(AuditLogTest, BadEventsAreRefused) {
  auto e = event(1);
  e.type.clear();
  EXPECT_EQ(code_of([&] { log_.append(e); }), "BAD_REQUEST");
  e = event(1);
  e.trace_id = std::string(4097, 't');
  EXPECT_EQ(code_of([&] { log_.append(e); }), "BAD_REQUEST");
  EXPECT_EQ(log_.read(0, 10).size(), 0u);
}

TEST_F(AuditLogTest, ConcurrentAppendersFromTwoDatabasesKeepOneChain) {
  auto other_db = Database::open(testing::sqlite_url(dir_ / "audit.db"));
  SqlAuditLog other(*other_db);
  constexpr int kThreads = 4, kEach = 25;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  std::atomic<int> errors{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      AuditLog& log = t % 2 == 0 ? static_cast<AuditLog&>(log_) : other;
      for (int i = 0; i < kEach; ++i) {
        try {
          log.append(event(t * 100 + i));
        } catch (...) {
          ++errors;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);
  auto v = log_.verify();
  EXPECT_TRUE(v.ok) << to_string(v.problem);
  EXPECT_EQ(v.records_checked, kThreads * kEach);
}

TEST_F(AuditLogTest, VerifyWalksPastOnePage) {
  db_->transaction([](Connection&) {});
  for (int i = 1; i <= 1205; ++i) log_.append(event(i));
  raw("UPDATE audit_events SET client_addr = '10.0.0.1' WHERE seq = 1100");
  auto v = log_.verify();
  EXPECT_EQ(v.first_bad_seq, 1100);
  EXPECT_EQ(v.records_checked, 1099);
}

}  // namespace
}  // namespace ecpa::store
